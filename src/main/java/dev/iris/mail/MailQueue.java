package dev.iris.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iris.support.SecretCipher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Enqueues email into the Postgres outbox inside the caller's transaction. Why Postgres rather than a Redis
 * Stream: the message commits atomically with the code it carries, and Postgres is already the durable store.
 * Every send enqueues exactly one row, also for an unknown address ({@link MailTemplate#NONE}), so both paths
 * do the same database work; the worker decides, after the answer, that there is nothing to send.
 */
@ApplicationScoped
public class MailQueue {

    private final SecretCipher cipher;
    private final ObjectMapper json;
    private final Clock clock;

    public MailQueue(SecretCipher cipher, ObjectMapper json, Clock clock) {
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
    }

    /** Must run inside a transaction. */
    public Uni<Void> enqueue(UUID flowId, MailTemplate template, MailPayload payload) {
        OutboxMessage message = new OutboxMessage();
        message.id = UUID.randomUUID();
        message.flowId = flowId;
        message.template = template.name();
        message.payload = cipher.seal(write(payload));
        message.attempts = 0;
        message.createdAt = clock.instant();
        // Due at once, whatever the clocks say: the claim compares with the database's now().
        message.nextAttemptAt = Instant.EPOCH;
        return Panache.getSession().chain(session -> session.persist(message));
    }

    MailPayload open(byte[] sealed) {
        try {
            return json.readValue(cipher.open(sealed), MailPayload.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("mail payload", e);
        }
    }

    private byte[] write(MailPayload payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("mail payload", e);
        }
    }
}
