package dev.iris.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void roundTripsAndHidesThePlaintext() {
        SecretCipher cipher = new SecretCipher(List.of(key()));
        String sealed = cipher.sealText("alice@example.com");
        assertThat(sealed).doesNotContain("alice");
        assertThat(cipher.openText(sealed)).isEqualTo("alice@example.com");
        assertThat(cipher.sealText("alice@example.com")).as("fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void rotationOldValuesStillOpenAfterANewKeyIsPutFirst() {
        String old = key();
        String sealed = new SecretCipher(List.of(old)).sealText("payload");
        assertThat(new SecretCipher(List.of(key(), old)).openText(sealed)).isEqualTo("payload");
        assertThatThrownBy(() -> new SecretCipher(List.of(key())).openText(sealed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tamperingIsDetected() {
        SecretCipher cipher = new SecretCipher(List.of(key()));
        byte[] sealed = cipher.seal("payload".getBytes());
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.open(sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsKeysThatAreNot32Bytes() {
        assertThatThrownBy(() -> new SecretCipher(List.of(Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("iris.secrets.cipher");
        assertThatThrownBy(() -> new SecretCipher(List.of("not base64 !!")))
                .hasMessageContaining("iris.secrets.cipher");
    }
}
