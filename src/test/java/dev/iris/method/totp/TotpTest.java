package dev.iris.method.totp;

import dev.iris.testsupport.QrDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {

    /** RFC 6238 appendix B, SHA-1 seed; the RFC's 8-digit values end in these 6 digits. */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheRfc6238TestVectors() {
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
        assertThat(Totp.code(RFC_SEED, Totp.step(Instant.ofEpochSecond(2000000000)))).isEqualTo("279037");
    }

    @Test
    void acceptsOneStepOfDriftEitherWayAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step), now)).hasValue(step);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step + 1), now)).hasValue(step + 1);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step + 2), now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, "12345a", now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, null, now)).isEmpty();
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32(RFC_SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).isEqualTo(RFC_SEED);
    }

    @Test
    void theQrCodeDecodesToTheOtpauthUri() throws Exception {
        String uri = Totp.uri("Iris", "alice@example.com", Totp.base32(RFC_SEED));
        assertThat(uri).isEqualTo("otpauth://totp/Iris:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Iris&algorithm=SHA1&digits=6&period=30");
        assertThat(QrDecoder.decodeSvgDataUri(QrImage.svgDataUri(uri))).isEqualTo(uri);
    }
}
