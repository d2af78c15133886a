package dev.iris.flow;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/** A Kratos ui message ({@code ui.messages[]}, node messages and labels). Ids are part of the contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UiText(long id, String type, String text, Map<String, Object> context) {

    public static UiText codeSent(Instant resendAt) {
        return new UiText(1010014, "info",
                "An email containing a code has been sent to the email address you provided. If you have not "
                        + "received an email, check the spelling of the address and make sure to use the address you "
                        + "registered with.",
                resendAt == null ? null : Map.of("resend_at", resendAt.toString()));
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

    public static UiText loginCodeInvalid() {
        return new UiText(4010008, "error", "The login code is invalid or has already been used. Please try again.",
                null);
    }

    public static UiText label(long id, String text) {
        return new UiText(id, "info", text, null);
    }
}
