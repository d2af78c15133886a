package dev.iris.http;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.SubmitContext;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.KeyedMac;
import dev.iris.support.ApiException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
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

    private final KeyedMac mac;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public CsrfTokens(IrisConfig config) {
        this(config.secrets().cookie());
    }

    CsrfTokens(List<String> rawKeys) {
        this.mac = new KeyedMac("iris.secrets.cookie", rawKeys);
    }

    /** A fresh cookie value. */
    public String newCookieValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }

    /** The form token that belongs to a cookie value. */
    public String formToken(String cookieValue) {
        return sign("csrf:" + cookieValue);
    }

    /** True when both halves are present and belong together (constant-time, every key). */
    public boolean valid(String cookieValue, String formToken) {
        if (cookieValue == null || formToken == null || cookieValue.isBlank() || formToken.length() > 100) {
            return false;
        }
        return signedBy("csrf:" + cookieValue, formToken);
    }

    /** The token that lets the browser holding {@code sessionToken} log out by a plain link. */
    public String logoutToken(String sessionToken) {
        return sign("logout:" + sessionToken);
    }

    public boolean validLogout(String sessionToken, String token) {
        if (sessionToken == null || token == null || token.length() > 100) {
            return false;
        }
        return signedBy("logout:" + sessionToken, token);
    }

    /** Marks the browser that owns a flow, without storing its cookie. */
    public String ownerMark(String cookieValue) {
        return cookieValue == null ? null : sign("owner:" + cookieValue);
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

    /** Base64url (no padding) of the MAC under the first key. */
    private String sign(String value) {
        return URL.encodeToString(mac.sign(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when {@code token} is exactly what {@link #sign} gives for {@code value} under any key. */
    private boolean signedBy(String value, String token) {
        return mac.matches(value.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8), URL::encode);
    }
}
