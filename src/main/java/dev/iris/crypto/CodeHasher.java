package dev.iris.crypto;

import dev.iris.config.IrisConfig;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;

/**
 * HMAC-SHA256 over one-time secrets (6-digit codes, link tokens) with a rotatable key list: the first key
 * signs, every key verifies, so a new key can be put in front and the old one removed after one code
 * lifespan. The context (purpose and flow id) is part of the MAC, so a hash is bound to its flow.
 */
@Singleton
public class CodeHasher {

    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs;

    @jakarta.inject.Inject
    public CodeHasher(IrisConfig config) {
        this(config.secrets().hmac());
    }

    public CodeHasher(List<String> rawKeys) {
        if (rawKeys.isEmpty()) {
            throw new IllegalArgumentException("iris.secrets.hmac needs at least one key");
        }
        this.keys = rawKeys.stream()
                .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList();
        this.macs = ThreadLocal.withInitial(this::newMacs);
    }

    /** Hash with the current (first) key; this is what gets stored. */
    public byte[] sign(String context, String secret) {
        return mac(macs.get()[0], context, secret);
    }

    /** True when {@code secret} hashes to {@code stored} under any configured key; compares in constant time. */
    public boolean matches(String context, String secret, byte[] stored) {
        boolean match = false;
        for (Mac mac : macs.get()) {
            match |= MessageDigest.isEqual(mac(mac, context, secret), stored);
        }
        return match;
    }

    private static byte[] mac(Mac mac, String context, String secret) {
        mac.update(context.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
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
