package dev.iris.mail;

/**
 * This message can never be delivered: the mailer cannot parse its address, or the relay refused the recipient
 * (550, 551, 553). The outbox dead-letters it at once; it never counts against the circuit breaker.
 */
public class UndeliverableAddress extends PermanentMailFailure {

    private final String reason;

    public UndeliverableAddress(String reason) {
        super("undeliverable address: " + reason);
        this.reason = reason;
    }

    /** What went wrong, safe to log and store: never the address. */
    public String reason() {
        return reason;
    }
}
