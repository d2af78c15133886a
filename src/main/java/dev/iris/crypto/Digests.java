package dev.iris.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Plain SHA-256, used for high-entropy bearer secrets (session tokens) that are looked up by their hash. */
public final class Digests {

    /** {@code MessageDigest.getInstance} looks the provider up each time; whoami hashes on every request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Digests() {
    }

    public static byte[] sha256(String value) {
        return SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8));
    }
}
