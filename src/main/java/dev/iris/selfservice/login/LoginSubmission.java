package dev.iris.selfservice.login;

import dev.iris.selfservice.flow.CodeSubmission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of {@code POST /self-service/login}: send ({@code identifier}), redeem ({@code code}, with
 * {@code identifier} for a 6-digit code) or resend ({@code resend: "code"}); in an {@code aal=aal2} flow
 * {@code method: "totp"} with {@code totp_code} or {@code method: "lookup_secret"} with {@code lookup_secret}.
 * Unknown fields are ignored, as SDKs add their own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginSubmission(String method, String identifier, String code, String resend, String csrfToken,
                              String totpCode, String lookupSecret) {

    public CodeSubmission toCode() {
        return new CodeSubmission(method, identifier, code, resend, totpCode, lookupSecret);
    }
}
