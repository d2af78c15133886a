package dev.iris.selfservice.login;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The JSON body of {@code POST /self-service/login}: send ({@code identifier}), redeem ({@code code}, with
 * {@code identifier} for a 6-digit code) or resend ({@code resend: "code"}); in an {@code aal=aal2} flow
 * {@code method: "totp"} with {@code totp_code} or {@code method: "lookup_secret"} with {@code lookup_secret}.
 * Unknown fields are ignored, as SDKs add their own.
 *
 * <p>Documents the body in the OpenAPI document; the body itself is read by {@code http.JsonBody}, field by field,
 * so a new method's fields need no change here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginSubmission(String method, String identifier, String code, String resend, String csrfToken,
                              String totpCode, String lookupSecret) {
}
