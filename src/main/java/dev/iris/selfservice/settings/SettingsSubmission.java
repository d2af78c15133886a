package dev.iris.selfservice.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The JSON body of {@code POST /self-service/settings}: {@code {method:"totp", totp_code}} enrols,
 * {@code {method:"totp", totp_unlink:true}} removes; {@code {method:"lookup_secret", lookup_secret_regenerate:true}}
 * shows a new set of backup codes, {@code lookup_secret_confirm:true} stores it, {@code lookup_secret_disable:true}
 * removes them. Form posts send the flags as {@code "true"}.
 *
 * <p>Documents the body in the OpenAPI document; the body itself is read by {@code http.JsonBody}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SettingsSubmission(String method, String totpCode, Boolean totpUnlink, Boolean lookupSecretRegenerate,
                                 Boolean lookupSecretConfirm, Boolean lookupSecretDisable, String csrfToken) {
}
