package dev.iris.crypto;

import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates the raw secrets that leave Iris once (in an email or a response) and are stored only hashed. */
@Singleton
public class RandomSecrets {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();

    /** A uniformly random 6-digit code, leading zeros kept. */
    public String sixDigitCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** 32 random bytes, base64url (43 characters): the magic-link token. */
    public String linkToken() {
        return bytes(32);
    }

    /** 32 random bytes, base64url, with Kratos's session-token prefix. */
    public String sessionToken() {
        return "ory_st_" + bytes(32);
    }

    /** 10 characters from a 32-letter alphabet without look-alikes (50 bits): one backup code. */
    public String backupCode() {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder code = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.toString();
    }

    private String bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return URL.encodeToString(b);
    }
}
