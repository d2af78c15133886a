package dev.iris.mail;

/** The SMTP server refused this message for good (5xx): retrying it right away will not help. */
public class PermanentMailFailure extends RuntimeException {

    public PermanentMailFailure(int replyCode) {
        super("SMTP permanent failure " + replyCode, null, false, false);
    }
}
