package dev.iris.http;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.SubmitContext;

import dev.iris.config.IrisConfig;
import dev.iris.support.ApiException;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Double-submit CSRF for browser flows, stateless: the browser holds a random value in the {@code iris_csrf}
 * cookie (HttpOnly), and every form carries {@code csrf_token = HMAC(cookie key, value)}. A cross-site page can
 * make the browser send the cookie but cannot read it, so it cannot produce the token. Keys come from
 * {@code iris.secrets.cookie} (first signs, all verify). The same value, hashed, marks which browser owns a
 * flow (a 6-digit code only works from there).
 */
@Singleton
public class CsrfTokens {

    public static final String COOKIE = "iris_csrf";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final List<SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    public CsrfTokens(IrisConfig config) {
        this.keys = config.secrets().cookie().stream()
                .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
    }

    /** A fresh cookie value. */
    public String newCookieValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }

    /** The form token that belongs to a cookie value. */
    public String formToken(String cookieValue) {
        return URL.encodeToString(mac(keys.get(0), "csrf:" + cookieValue));
    }

    /** True when both halves are present and belong together (constant-time, every key). */
    public boolean valid(String cookieValue, String formToken) {
        if (cookieValue == null || formToken == null || cookieValue.isBlank() || formToken.length() > 100) {
            return false;
        }
        byte[] presented = formToken.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (SecretKeySpec key : keys) {
            match |= MessageDigest.isEqual(URL.encodeToString(mac(key, "csrf:" + cookieValue))
                    .getBytes(StandardCharsets.UTF_8), presented);
        }
        return match;
    }

    /** The token that lets the browser holding {@code sessionToken} log out by a plain link. */
    public String logoutToken(String sessionToken) {
        return URL.encodeToString(mac(keys.get(0), "logout:" + sessionToken));
    }

    public boolean validLogout(String sessionToken, String token) {
        if (sessionToken == null || token == null || token.length() > 100) {
            return false;
        }
        boolean match = false;
        for (SecretKeySpec key : keys) {
            match |= MessageDigest.isEqual(URL.encodeToString(mac(key, "logout:" + sessionToken))
                    .getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        }
        return match;
    }

    /** Marks the browser that owns a flow, without storing its cookie. */
    public String ownerMark(String cookieValue) {
        return cookieValue == null ? null : URL.encodeToString(mac(keys.get(0), "owner:" + cookieValue));
    }

    /** True when the browser holding {@code csrfCookie} started {@code flow}. */
    public boolean owns(Flow flow, String csrfCookie) {
        return flow.owner() != null && csrfCookie != null && flow.owner().equals(ownerMark(csrfCookie));
    }

    /**
     * Who may submit a flow: api flows refuse browsers (cookies or an Origin header, as Kratos does); browser
     * flows demand a matching CSRF pair (403 {@code security_csrf_violation}).
     */
    public void checkCaller(Flow flow, SubmitContext context) {
        checkCaller(flow, context, false);
    }

    /**
     * The same, except that a browser may redeem an api flow's link token ({@code redeemsLink}) with a CSRF pair
     * of its own: the email's link may be opened on any device (spec 1.1), also for a sign-in started in a native
     * app, and signs in that browser. A 6-digit code still works only where the flow started.
     */
    public void checkCaller(Flow flow, SubmitContext context, boolean redeemsLink) {
        boolean browserOnApiFlow = flow.type() == FlowType.API && context.looksLikeBrowser();
        if (browserOnApiFlow && !redeemsLink) {
            throw ApiException.badRequest("API flows must not be used from a browser "
                    + "(request carried cookies or an Origin header); use the browser flow instead.");
        }
        boolean browser = flow.type() == FlowType.BROWSER || browserOnApiFlow;
        if (browser && !valid(context.csrfCookie(), context.csrfToken())) {
            throw violation();
        }
    }

    public static ApiException violation() {
        return new ApiException(403, "security_csrf_violation",
                "The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF).");
    }

    private static byte[] mac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
