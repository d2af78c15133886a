package dev.iris.mail;

/**
 * A CDI event: mail was just committed to the outbox, so the dispatcher should drain soon. Fired by whoever
 * queues mail; the dispatcher observes it — the queueing side needs no reference to the dispatcher.
 */
public enum MailQueued {
    NOW
}
