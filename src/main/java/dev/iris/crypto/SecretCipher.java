package dev.iris.crypto;

import dev.iris.config.IrisConfig;
import jakarta.inject.Singleton;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * AES-256-GCM for secrets that must be read back (queued mail payloads, the address kept in a flow). The
 * first configured key encrypts; decryption tries every key, so keys rotate like the HMAC list. Output is
 * {@code nonce(12) || ciphertext || tag(16)}.
 */
@Singleton
public class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final List<SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();
    /** {@code Cipher.getInstance} looks the provider up on every call (measured on the send path): one per thread. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    });

    @jakarta.inject.Inject
    public SecretCipher(IrisConfig config) {
        this(config.secrets().cipher());
    }

    public SecretCipher(List<String> base64Keys) {
        this.keys = base64Keys.stream().map(SecretCipher::parseKey).toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("iris.secrets.cipher needs at least one key");
        }
    }

    private static SecretKeySpec parseKey(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iris.secrets.cipher holds a key that is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("iris.secrets.cipher keys must decode to 32 bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public byte[] seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] open(byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed value too short");
        }
        GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES);
        for (SecretKeySpec key : keys) {
            try {
                Cipher cipher = GCM.get();
                cipher.init(Cipher.DECRYPT_MODE, key, spec);
                return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            } catch (AEADBadTagException wrongKey) {
                // try the next key
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable", e);
            }
        }
        throw new IllegalArgumentException("no configured key opens this value");
    }

    public String sealText(String plaintext) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(seal(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public String openText(String sealed) {
        return new String(open(Base64.getUrlDecoder().decode(sealed)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
