package dev.iris.http;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsrfTokensTest {

    private static final String OLD = "old-cookie-key-0123456789abcdef01234567";
    private static final String NEW = "new-cookie-key-0123456789abcdef01234567";

    /** What browsers already hold must stay valid: base64url (no padding) of HMAC-SHA256(key, purpose:value). */
    private static String expected(String key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tokensAreBase64UrlHmacsUnderTheFirstKeyOneContextEach() throws Exception {
        CsrfTokens tokens = new CsrfTokens(List.of(NEW, OLD));
        assertThat(tokens.formToken("v")).isEqualTo(expected(NEW, "csrf:v"));
        assertThat(tokens.logoutToken("v")).isEqualTo(expected(NEW, "logout:v"));
        assertThat(tokens.ownerMark("v")).isEqualTo(expected(NEW, "owner:v"));
        assertThat(tokens.ownerMark(null)).isNull();
    }

    @Test
    void aFormTokenIsValidOnlyWithItsCookie() {
        CsrfTokens tokens = new CsrfTokens(List.of(NEW));
        String cookie = tokens.newCookieValue();
        String token = tokens.formToken(cookie);

        assertThat(tokens.valid(cookie, token)).isTrue();
        assertThat(tokens.valid(tokens.newCookieValue(), token)).isFalse();
        assertThat(tokens.valid(cookie, tokens.logoutToken(cookie))).as("a logout token is no form token").isFalse();
        assertThat(tokens.valid(cookie, token + "=")).as("only the exact spelling").isFalse();
        assertThat(tokens.valid(null, token)).isFalse();
        assertThat(tokens.valid(" ", tokens.formToken(" "))).as("blank cookie").isFalse();
        assertThat(tokens.valid(cookie, null)).isFalse();
        assertThat(tokens.valid(cookie, "x".repeat(101))).isFalse();
    }

    @Test
    void aLogoutTokenIsValidOnlyForItsSession() {
        CsrfTokens tokens = new CsrfTokens(List.of(NEW));
        String token = tokens.logoutToken("session-a");

        assertThat(tokens.validLogout("session-a", token)).isTrue();
        assertThat(tokens.validLogout("session-b", token)).isFalse();
        assertThat(tokens.validLogout("session-a", tokens.formToken("session-a"))).isFalse();
        assertThat(tokens.validLogout(null, token)).isFalse();
        assertThat(tokens.validLogout("session-a", null)).isFalse();
        assertThat(tokens.validLogout("session-a", "x".repeat(101))).isFalse();
    }

    @Test
    void rotationFirstKeySignsEveryKeyVerifies() {
        CsrfTokens before = new CsrfTokens(List.of(OLD));
        CsrfTokens rotated = new CsrfTokens(List.of(NEW, OLD));
        CsrfTokens after = new CsrfTokens(List.of(NEW));

        assertThat(rotated.valid("c", before.formToken("c"))).isTrue();
        assertThat(rotated.validLogout("s", before.logoutToken("s"))).isTrue();
        assertThat(rotated.formToken("c")).isEqualTo(after.formToken("c"));
        assertThat(after.valid("c", before.formToken("c"))).as("a removed key no longer verifies").isFalse();
        assertThat(after.validLogout("s", before.logoutToken("s"))).isFalse();
    }
}
