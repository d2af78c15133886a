package dev.iris.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * HMAC-SHA256 under a rotatable key list: the first key signs, every key verifies, so a new key can be put in
 * front and the old one removed once nothing signed under it is still in use. Verification compares in constant
 * time against every key, every time, so neither whether nor under which key a value matched leaks through
 * timing. Thread-safe and cheap: each thread keeps its own initialised {@link Mac} per key.
 */
public final class KeyedMac {

    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs;

    /** {@code name} is the configuration key the raw keys come from, named when the list is empty. */
    public KeyedMac(String name, List<String> rawKeys) {
        if (rawKeys.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one key");
        }
        this.keys = rawKeys.stream()
                .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList();
        this.macs = ThreadLocal.withInitial(this::newMacs);
    }

    /** The MAC of {@code message} under the current (first) key. */
    public byte[] sign(byte[] message) {
        return macs.get()[0].doFinal(message);
    }

    /** True when {@code expected} is the MAC of {@code message} under any key. */
    public boolean matches(byte[] message, byte[] expected) {
        return matches(message, expected, UnaryOperator.identity());
    }

    /**
     * True when {@code presented} is the MAC of {@code message} under any key, written in {@code encoding} (e.g.
     * base64url); the encoded forms are compared, so only the exact encoding a signer produces is accepted.
     */
    public boolean matches(byte[] message, byte[] presented, UnaryOperator<byte[]> encoding) {
        boolean match = false;
        for (Mac mac : macs.get()) {
            match |= MessageDigest.isEqual(encoding.apply(mac.doFinal(message)), presented);
        }
        return match;
    }

    private Mac[] newMacs() {
        Mac[] result = new Mac[keys.size()];
        try {
            for (int i = 0; i < result.length; i++) {
                result[i] = Mac.getInstance(ALGORITHM);
                result[i].init(keys.get(i));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
        return result;
    }
}
