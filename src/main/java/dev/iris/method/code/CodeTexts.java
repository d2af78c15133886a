package dev.iris.method.code;

import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.ui.UiText;

import java.time.Instant;
import java.util.Map;

/** The messages of the {@code code} method, with Kratos's ids for login and registration. */
final class CodeTexts {

    private CodeTexts() {
    }

    /** 1010014 (login) / 1040005 (registration); {@code resend_at} in the context when a resend waits. */
    static UiText sent(FlowKind kind, Instant resendAt) {
        boolean login = kind == FlowKind.LOGIN;
        String retry = login ? "make sure to use the address you registered with" : "retry the registration";
        return new UiText(login ? 1010014 : 1040005, "info",
                "An email containing a code has been sent to the email address you provided. If you have not "
                        + "received an email, check the spelling of the address and " + retry + ".",
                resendAt == null ? null : Map.of("resend_at", resendAt.toString()));
    }

    /** 4010008 (login) / 4040003 (registration): wrong, expired or used — all look the same. */
    static UiText invalid(FlowKind kind) {
        boolean login = kind == FlowKind.LOGIN;
        return new UiText(login ? 4010008 : 4040003, "error",
                "The " + (login ? "login" : "registration") + " code is invalid or has already been used. "
                        + "Please try again.", null);
    }
}
