package dev.iris.selfservice.login;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.selfservice.flow.Submission;

/**
 * The JSON body of {@code POST /self-service/login}: send ({@code identifier}), redeem ({@code code}, with
 * {@code identifier} for a 6-digit code) or resend ({@code resend: "code"}); in an {@code aal=aal2} flow
 * {@code method: "totp"} with {@code totp_code} or {@code method: "lookup_secret"} with {@code lookup_secret}.
 * Unknown fields are ignored, as SDKs add their own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginSubmission(String method, String identifier, String code, String resend, String csrfToken,
                              String totpCode, String lookupSecret) {

    public Submission toSubmission() {
        return Submission.of(method, "identifier", identifier, "code", code, "resend", resend, "totp_code", totpCode,
                "lookup_secret", lookupSecret);
    }
}
