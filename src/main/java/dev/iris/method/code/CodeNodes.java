package dev.iris.method.code;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ui nodes of the {@code code} method, as Kratos's code strategy renders them: login and registration
 * ({@code strategy_login.go}, {@code strategy_registration.go}), recovery and verification
 * ({@code strategy_recovery.go}, {@code strategy_verification.go}: the address in the {@code code} group, resent by
 * a submit button named {@code email} that carries it).
 */
final class CodeNodes {

    private CodeNodes() {
    }

    /** Nodes for {@code flow}; {@code address} is the address to echo (already opened), or null. */
    static List<UiNode> of(Flow flow, String address, String continueTo, boolean passkeys) {
        if (flow.kind() == FlowKind.RECOVERY || flow.kind() == FlowKind.VERIFICATION) {
            return addressProof(flow, address, continueTo);
        }
        boolean login = flow.kind() == FlowKind.LOGIN;
        String field = flow.kind().addressField();
        List<UiNode> nodes = new ArrayList<>();
        if (flow.state() == FlowState.CHOOSE_METHOD) {
            nodes.add(UiNode.input("default", field, "email", address,
                    login ? UiText.label(1070007, "Email")
                            : new UiText(1070002, "info", "E-Mail", Map.of("title", "E-Mail", "name", field)))
                    // With passkeys on, browsers offer them in this field's suggestions (autofill) only for this hint.
                    .required().autocomplete(login && passkeys ? "username webauthn" : "email"));
            nodes.add(UiNode.input("code", "method", "submit", "code",
                    login ? UiText.label(1010015, "Send sign in code") : UiText.label(1040006, "Sign up with code")));
            return nodes;
        }
        // As Kratos's code strategy renders "code sent": the address kept (hidden, default group), a hidden
        // method=code that the resend button needs (it posts only resend=code otherwise), the code field, continue
        // and resend.
        nodes.add(UiNode.input("default", field, "hidden", address, null));
        nodes.add(UiNode.input("code", "method", "hidden", "code", null));
        nodes.add(UiNode.input("code", "code", "text", null,
                        login ? UiText.label(1070013, "Login code") : UiText.label(1070012, "Registration code"))
                .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                .attribute("pattern", "[0-9]*"));
        nodes.add(UiNode.input("code", "method", "submit", "code", UiText.label(1070009, "Continue")));
        nodes.add(UiNode.input("code", "resend", "submit", "code", UiText.label(1070008, "Resend code")));
        return nodes;
    }

    private static List<UiNode> addressProof(Flow flow, String address, String continueTo) {
        boolean recovery = flow.kind() == FlowKind.RECOVERY;
        List<UiNode> nodes = new ArrayList<>();
        if (flow.state() == FlowState.PASSED_CHALLENGE && !recovery) {
            nodes.add(UiNode.anchor("code", "continue", continueTo, CONTINUE));
            return nodes;
        }
        if (flow.state() == FlowState.CHOOSE_METHOD) {
            nodes.add(UiNode.input("code", "email", "email", address, UiText.label(1070007, "Email")).required()
                    .autocomplete("email"));
            nodes.add(UiNode.input("code", "method", "submit", "code", CONTINUE));
            return nodes;
        }
        UiNode code = UiNode.input("code", "code", "text", null, recovery ? UiText.label(1070010, "Recovery code")
                : UiText.label(1070011, "Verification code")).required().autocomplete("one-time-code");
        if (recovery) {
            code.attribute("pattern", "[0-9]+").attribute("maxlength", 6);
        }
        // Kratos's order: recovery puts the code field first, verification the hidden method.
        UiNode hiddenMethod = UiNode.input("code", "method", "hidden", "code", null);
        nodes.addAll(recovery ? List.of(code, hiddenMethod) : List.of(hiddenMethod, code));
        nodes.add(UiNode.input("code", "method", "submit", "code", CONTINUE));
        nodes.add(UiNode.input("code", "email", "submit", address, UiText.label(1070008, "Resend code")));
        return nodes;
    }

    private static final UiText CONTINUE = UiText.label(1070009, "Continue");
}
