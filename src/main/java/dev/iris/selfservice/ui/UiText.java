package dev.iris.selfservice.ui;

import dev.iris.selfservice.flow.FlowKind;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/** A Kratos ui message ({@code ui.messages[]}, node messages and labels). Ids are part of the contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UiText(long id, String type, String text, Map<String, Object> context) {

    public static UiText codeSent(FlowKind kind, Instant resendAt) {
        String retry = kind == FlowKind.LOGIN ? "make sure to use the address you registered with"
                : "retry the registration";
        return new UiText(kind.codeSentMessage(), "info",
                "An email containing a code has been sent to the email address you provided. If you have not "
                        + "received an email, check the spelling of the address and " + retry + ".",
                resendAt == null ? null : Map.of("resend_at", resendAt.toString()));
    }

    public static UiText codeInvalid(FlowKind kind) {
        String what = kind == FlowKind.LOGIN ? "login" : "registration";
        return new UiText(kind.codeInvalidMessage(), "error",
                "The " + what + " code is invalid or has already been used. Please try again.", null);
    }

    public static UiText noStrategy(FlowKind kind) {
        String what = kind == FlowKind.LOGIN ? "log you in" : "sign you up";
        return new UiText(kind.noStrategyMessage(), "error",
                "Could not find a strategy to " + what + " with. Did you fill out the form correctly?", null);
    }

    public static UiText tooManyAttempts() {
        return new UiText(4000001, "error", "The request was submitted too often. Please request another code.", null);
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
