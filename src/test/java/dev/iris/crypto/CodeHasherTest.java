package dev.iris.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeHasherTest {

    private static final String OLD = "old-key-0123456789abcdef0123456789abcdef";
    private static final String NEW = "new-key-0123456789abcdef0123456789abcdef";

    @Test
    void signedHashMatchesOnlyTheSameSecretInTheSameContext() {
        CodeHasher hasher = new CodeHasher(List.of(NEW));
        byte[] stored = hasher.sign("login-code:flow-1", "123456");

        assertThat(hasher.matches("login-code:flow-1", "123456", stored)).isTrue();
        assertThat(hasher.matches("login-code:flow-1", "123457", stored)).isFalse();
        assertThat(hasher.matches("login-code:flow-2", "123456", stored)).as("bound to its flow").isFalse();
        assertThat(hasher.matches("login-link:flow-1", "123456", stored)).as("bound to its purpose").isFalse();
    }

    @Test
    void rotationFirstKeySignsEveryKeyVerifies() {
        byte[] storedUnderOld = new CodeHasher(List.of(OLD)).sign("ctx", "secret");
        CodeHasher rotated = new CodeHasher(List.of(NEW, OLD));

        assertThat(rotated.matches("ctx", "secret", storedUnderOld)).isTrue();
        assertThat(rotated.sign("ctx", "secret")).isEqualTo(new CodeHasher(List.of(NEW)).sign("ctx", "secret"));
        assertThat(new CodeHasher(List.of(NEW)).matches("ctx", "secret", storedUnderOld))
                .as("a removed key no longer verifies").isFalse();
    }

    /** Stored hashes must survive this code: HMAC-SHA256(first key, context, a zero byte, secret). */
    @Test
    void hashIsHmacOfContextZeroSecret() throws Exception {
        byte[] message = ("login-code:flow-1" + (char) 0 + "123456").getBytes(StandardCharsets.UTF_8);
        assertThat(new CodeHasher(List.of(NEW, OLD)).sign("login-code:flow-1", "123456"))
                .isEqualTo(KeyedMacTest.hmac(NEW, message));
    }

    @Test
    void anEmptyKeyListFailsNamingItsKey() {
        assertThatThrownBy(() -> new CodeHasher(List.of()))
                .hasMessageContaining("iris.secrets.hmac");
    }

    @Test
    void hashIsNotTheSecret() {
        byte[] stored = new CodeHasher(List.of(NEW)).sign("ctx", "123456");
        assertThat(stored).hasSize(32);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("123456");
    }
}
