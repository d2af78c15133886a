package dev.iris.mail;

/** Which email a queued message becomes. {@code NONE} is dropped by the worker (see {@link MailQueue}). */
public enum MailTemplate {
    /** Sign-in link + code for a known address. */
    LOGIN_CODE,
    /** A login for an address nobody registered: nothing is sent (no enumeration). */
    NONE
}
