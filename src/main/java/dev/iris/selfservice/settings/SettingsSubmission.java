package dev.iris.selfservice.settings;

import dev.iris.selfservice.flow.CodeSubmission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of {@code POST /self-service/settings}: {@code {method:"totp", totp_code}} enrols,
 * {@code {method:"totp", totp_unlink:true}} removes; {@code {method:"lookup_secret", lookup_secret_regenerate:true}}
 * shows a new set of backup codes, {@code lookup_secret_confirm:true} stores it, {@code lookup_secret_disable:true}
 * removes them. Form posts send the flags as {@code "true"}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SettingsSubmission(String method, String totpCode, Boolean totpUnlink, Boolean lookupSecretRegenerate,
                                 Boolean lookupSecretConfirm, Boolean lookupSecretDisable, String csrfToken) {

    boolean unlink() {
        return Boolean.TRUE.equals(totpUnlink);
    }

    boolean regenerate() {
        return Boolean.TRUE.equals(lookupSecretRegenerate);
    }

    boolean confirm() {
        return Boolean.TRUE.equals(lookupSecretConfirm);
    }

    boolean disable() {
        return Boolean.TRUE.equals(lookupSecretDisable);
    }

    boolean oversized() {
        return (method != null && method.length() > CodeSubmission.MAX_FIELD)
                || (totpCode != null && totpCode.length() > CodeSubmission.MAX_FIELD);
    }
}
