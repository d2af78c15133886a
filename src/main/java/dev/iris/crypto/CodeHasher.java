package dev.iris.crypto;

import dev.iris.config.IrisConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HMAC-SHA256 over one-time secrets (6-digit codes, link tokens) with a rotatable key list ({@link KeyedMac}):
 * the first key signs, every key verifies, so a new key can be put in front and the old one removed after one
 * code lifespan. The context (purpose and flow id) is part of the MAC, so a hash is bound to its flow.
 */
@Singleton
public class CodeHasher {

    private final KeyedMac mac;

    @Inject
    public CodeHasher(IrisConfig config) {
        this(config.secrets().hmac());
    }

    public CodeHasher(List<String> rawKeys) {
        this.mac = new KeyedMac("iris.secrets.hmac", rawKeys);
    }

    /** Hash with the current (first) key; this is what gets stored. */
    public byte[] sign(String context, String secret) {
        return mac.sign(message(context, secret));
    }

    /** True when {@code secret} hashes to {@code stored} under any configured key; compares in constant time. */
    public boolean matches(String context, String secret, byte[] stored) {
        return mac.matches(message(context, secret), stored);
    }

    /** {@code context}, a zero byte, {@code secret} (UTF-8): the zero keeps the two apart. */
    private static byte[] message(String context, String secret) {
        byte[] head = context.getBytes(StandardCharsets.UTF_8);
        byte[] tail = secret.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(tail, 0, message, head.length + 1, tail.length);
        return message;
    }
}
