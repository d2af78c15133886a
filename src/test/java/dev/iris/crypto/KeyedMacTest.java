package dev.iris.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedMacTest {

    private static final String OLD = "old-key-0123456789abcdef0123456789abcdef";
    private static final String NEW = "new-key-0123456789abcdef0123456789abcdef";

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-SHA256 as the JDK computes it, independently of {@link KeyedMac}. */
    static byte[] hmac(String key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(bytes(key), "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Test
    void signsWithTheFirstKeyAsPlainHmacSha256() throws Exception {
        KeyedMac mac = new KeyedMac("k", List.of(NEW, OLD));
        assertThat(mac.sign(bytes("hello"))).isEqualTo(hmac(NEW, bytes("hello")));
        assertThat(mac.sign(bytes("hello"))).as("same again (the Mac is reset)").isEqualTo(hmac(NEW, bytes("hello")));
    }

    @Test
    void everyKeyVerifiesARemovedKeyNoLonger() throws Exception {
        KeyedMac rotated = new KeyedMac("k", List.of(NEW, OLD));
        assertThat(rotated.matches(bytes("m"), hmac(NEW, bytes("m")))).isTrue();
        assertThat(rotated.matches(bytes("m"), hmac(OLD, bytes("m")))).isTrue();
        assertThat(rotated.matches(bytes("other"), hmac(OLD, bytes("m")))).isFalse();
        assertThat(new KeyedMac("k", List.of(NEW)).matches(bytes("m"), hmac(OLD, bytes("m"))))
                .as("a removed key no longer verifies").isFalse();
        assertThat(rotated.matches(bytes("m"), new byte[0])).isFalse();
    }

    @Test
    void comparesTheEncodedFormExactly() throws Exception {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        KeyedMac mac = new KeyedMac("k", List.of(NEW, OLD));
        byte[] presented = url.encode(hmac(OLD, bytes("m")));

        assertThat(mac.matches(bytes("m"), presented, url::encode)).isTrue();
        assertThat(mac.matches(bytes("m"), bytes(new String(presented, StandardCharsets.US_ASCII) + "="), url::encode))
                .as("another spelling of the same bytes is refused").isFalse();
        assertThat(mac.matches(bytes("m"), hmac(OLD, bytes("m")), url::encode)).as("raw bytes are not the form")
                .isFalse();
    }

    @Test
    void anEmptyKeyListFailsNamingItsKey() {
        assertThatThrownBy(() -> new KeyedMac("iris.secrets.cookie", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iris.secrets.cookie");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        KeyedMac mac = new KeyedMac("k", List.of(NEW, OLD));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = IntStream.range(0, 64).<Callable<Boolean>>mapToObj(i -> () -> {
                for (int n = 0; n < 200; n++) {
                    byte[] message = bytes("message-" + i + "-" + n);
                    if (!java.util.Arrays.equals(mac.sign(message), hmac(NEW, message))
                            || !mac.matches(message, hmac(OLD, message))) {
                        return false;
                    }
                }
                return true;
            }).toList();
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
