package dev.iris.mail;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One queued email in the Postgres outbox. It is written in the same transaction as the code it carries,
 * so a code never exists without its email and the email survives any instance crash after the answer.
 * The payload (address, code, link) is sealed with AES-GCM: no plaintext secret rests in the queue.
 */
@Entity
@Table(name = "mail_outbox")
public class OutboxMessage {

    @Id
    public UUID id;

    @Column(name = "flow_id")
    public UUID flowId;

    @Column(nullable = false, columnDefinition = "text")
    public String template;

    @Column(nullable = false)
    public byte[] payload;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    @Column(name = "dead_at")
    public Instant deadAt;
}
