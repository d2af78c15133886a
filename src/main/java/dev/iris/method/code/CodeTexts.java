package dev.iris.method.code;

import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.ui.UiText;

import java.time.Instant;
import java.util.Map;

/** The messages of the {@code code} method, with Kratos's ids for login and registration. */
final class CodeTexts {

    private CodeTexts() {
    }

    /**
     * 1010014 (login) / 1040005 (registration) / 1060003 (recovery) / 1080003 (verification); {@code resend_at} in
     * the context when a resend waits.
     */
    static UiText sent(FlowKind kind, Instant resendAt) {
        Map<String, Object> context = resendAt == null ? null : Map.of("resend_at", resendAt.toString());
        if (kind == FlowKind.RECOVERY || kind == FlowKind.VERIFICATION) {
            boolean recovery = kind == FlowKind.RECOVERY;
            return new UiText(recovery ? 1060003 : 1080003, "info", "An email containing a "
                    + (recovery ? "recovery" : "verification") + " code has been sent to the email address you "
                    + "provided. If you have not received an email, check the spelling of the address and make sure "
                    + "to use the address you registered with.", context);
        }
        boolean login = kind == FlowKind.LOGIN;
        String retry = login ? "make sure to use the address you registered with" : "retry the registration";
        return new UiText(login ? 1010014 : 1040005, "info",
                "An email containing a code has been sent to the email address you provided. If you have not "
                        + "received an email, check the spelling of the address and " + retry + ".",
                context);
    }

    /**
     * 4010008 (login) / 4040003 (registration) / 4060006 (recovery) / 4070006 (verification): wrong, expired or
     * used — all look the same.
     */
    static UiText invalid(FlowKind kind) {
        long id = switch (kind) {
            case LOGIN -> 4010008;
            case REGISTRATION -> 4040003;
            case RECOVERY -> 4060006;
            default -> 4070006;
        };
        return new UiText(id, "error", "The " + kind.path() + " code is invalid or has already been used. "
                + "Please try again.", null);
    }

    /** 1080002: shown by a verification flow that passed. */
    static UiText verified() {
        return new UiText(1080002, "success", "You successfully verified your email address.", null);
    }
}
