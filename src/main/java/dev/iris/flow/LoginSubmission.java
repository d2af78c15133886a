package dev.iris.flow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of {@code POST /self-service/login}: send ({@code identifier}), redeem ({@code code}, with
 * {@code identifier} for a 6-digit code) or resend ({@code resend: "code"}). Unknown fields are ignored, as
 * SDKs add their own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginSubmission(String method, String identifier, String code, String resend, String csrfToken) {

    static final int MAX_FIELD = 512;

    /** True when a field is far too long to be legitimate; answered 400 without further work. */
    boolean oversized() {
        return tooLong(method) || tooLong(identifier) || tooLong(code) || tooLong(resend) || tooLong(csrfToken);
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_FIELD;
    }
}
