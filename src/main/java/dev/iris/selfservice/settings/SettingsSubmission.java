package dev.iris.selfservice.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.selfservice.flow.Submission;

/**
 * The JSON body of {@code POST /self-service/settings}: {@code {method:"totp", totp_code}} enrols,
 * {@code {method:"totp", totp_unlink:true}} removes; {@code {method:"lookup_secret", lookup_secret_regenerate:true}}
 * shows a new set of backup codes, {@code lookup_secret_confirm:true} stores it, {@code lookup_secret_disable:true}
 * removes them. Form posts send the flags as {@code "true"}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SettingsSubmission(String method, String totpCode, Boolean totpUnlink, Boolean lookupSecretRegenerate,
                                 Boolean lookupSecretConfirm, Boolean lookupSecretDisable, String csrfToken) {

    public Submission toSubmission() {
        return Submission.of(method, "totp_code", totpCode, "totp_unlink", flag(totpUnlink),
                "lookup_secret_regenerate", flag(lookupSecretRegenerate), "lookup_secret_confirm",
                flag(lookupSecretConfirm), "lookup_secret_disable", flag(lookupSecretDisable));
    }

    private static String flag(Boolean value) {
        return value == null ? null : value.toString();
    }
}
