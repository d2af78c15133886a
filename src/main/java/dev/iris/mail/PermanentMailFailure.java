package dev.iris.mail;

/**
 * A failure of this message rather than of the relay: the SMTP server refused it (a 5xx, or a 4xx for its
 * recipient), or the mailer cannot build it. Retrying at once will not help. Not retried, never counted by the
 * circuit breaker; the outbox backs off (see {@link UndeliverableAddress} for the refusals that dead-letter).
 */
public class PermanentMailFailure extends RuntimeException {

    public PermanentMailFailure(int replyCode) {
        this("SMTP refusal " + replyCode);
    }

    /** {@code reason} is safe to log: never an address. */
    public PermanentMailFailure(String reason) {
        super(reason, null, false, false);
    }
}
