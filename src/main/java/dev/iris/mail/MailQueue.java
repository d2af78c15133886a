package dev.iris.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iris.crypto.SecretCipher;
import jakarta.inject.Singleton;

/**
 * Seals and opens the payloads of the Postgres mail outbox. Why Postgres rather than a Redis Stream: the message
 * commits atomically with the code it carries (one statement, {@code CodeStore#issue}), and Postgres is already
 * the durable store. Every send queues exactly one row, also for an unknown address
 * ({@link MailTemplate#LOGIN_UNKNOWN}), so both paths do the same database work; the worker decides, after the
 * answer, whether there is anything to send.
 */
@Singleton
public class MailQueue {

    private final SecretCipher cipher;
    private final ObjectMapper json;

    public MailQueue(SecretCipher cipher, ObjectMapper json) {
        this.cipher = cipher;
        this.json = json;
    }

    /** The payload as the outbox stores it: JSON, sealed with AES-GCM. */
    public byte[] seal(MailPayload payload) {
        return cipher.seal(write(payload));
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
