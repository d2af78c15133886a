package dev.iris.selfservice.ui;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** A Kratos ui message ({@code ui.messages[]}, node messages and labels). Ids are part of the contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UiText(long id, String type, String text, Map<String, Object> context) {

    /**
     * A form post refused by a rate limit, shown on the page it goes back to: Kratos has no rate-limit message, so
     * this is its generic validation error (4000001) with the wait in the context.
     */
    public static UiText retryAfter(Object seconds) {
        String reason = "Please wait " + seconds + " seconds before trying again.";
        return new UiText(4000001, "error", reason, Map.of("reason", reason, "retry_after_seconds", seconds));
    }

    public static UiText tooManyAttempts() {
        return generic("The request was submitted too often. Please request another code.");
    }

    /** Kratos's generic validation error (4000001): the text is the reason, which UIs read from the context. */
    public static UiText generic(String reason) {
        return new UiText(4000001, "error", reason, Map.of("reason", reason));
    }

    public static UiText missing(String property) {
        return new UiText(4000002, "error", "Property " + property + " is missing.",
                Map.of("property", property));
    }

    public static UiText invalidEmail(String value) {
        return new UiText(4000004, "error", "\"" + value + "\" is not valid \"email\"",
                Map.of("reason", "invalid_format"));
    }

    public static UiText traitsMismatch() {
        return new UiText(4000036, "error",
                "The provided traits do not match the traits previously associated with this flow.", null);
    }

    public static UiText secondFactorPrompt() {
        return new UiText(1010004, "info", "Please complete the second authentication challenge.", null);
    }

    public static UiText totpInvalid() {
        return new UiText(4000008, "error", "The provided authentication code is invalid, please try again.", null);
    }

    public static UiText lookupInvalid() {
        return new UiText(4000016, "error", "The backup recovery code is not valid.", null);
    }

    public static UiText settingsSaved() {
        return new UiText(1050001, "success", "Your changes have been saved!", null);
    }

    public static UiText label(long id, String text) {
        return new UiText(id, "info", text, null);
    }
}
