package dev.iris.mail;

/**
 * The relay could not take the message just now: it could not be reached, dropped the connection or answered
 * 4xx. Retried, and counted against the circuit breaker. The name of the underlying failure is kept for the outbox's
 * {@code last_error}; its message (which may quote the address) is not.
 */
public class SmtpUnavailable extends RuntimeException {

    private final String cause;

    public SmtpUnavailable(Throwable failure) {
        super("SMTP unavailable: " + failure.getClass().getSimpleName(), null, false, false);
        this.cause = failure.getClass().getSimpleName();
    }

    /** The simple class name of the failure the mail client reported. */
    public String underlying() {
        return cause;
    }
}
