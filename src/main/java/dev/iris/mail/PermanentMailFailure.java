package dev.iris.mail;

/**
 * The SMTP server refused this message for good (5xx), or the mailer cannot build it: retrying at once will not
 * help. Not retried, never counted by the circuit breaker; the outbox backs off (see {@link UndeliverableAddress}).
 */
public class PermanentMailFailure extends RuntimeException {

    public PermanentMailFailure(int replyCode) {
        this("SMTP permanent failure " + replyCode);
    }

    /** {@code reason} is safe to log: never an address. */
    public PermanentMailFailure(String reason) {
        super(reason, null, false, false);
    }
}
