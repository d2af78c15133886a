package dev.iris.mail;

/** The SMTP server refused this message for good (5xx): retrying it right away will not help. */
public class PermanentMailFailure extends RuntimeException {

    public PermanentMailFailure(int replyCode) {
        this("SMTP permanent failure " + replyCode);
    }

    protected PermanentMailFailure(String message) {
        super(message, null, false, false);
    }
}
