package dev.iris.selfservice.ui;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;

import java.util.ArrayList;
import java.util.List;

/** The ui nodes of a code flow (login or registration) in each state, as Kratos's code strategy renders them. */
public final class FlowUi {

    private FlowUi() {
    }

    /** Nodes for {@code flow}; {@code address} is the address to echo (already opened), or null. */
    public static List<UiNode> nodes(Flow flow, String address) {
        if (flow.secondFactor()) {
            return secondFactorNodes();
        }
        boolean login = flow.kind() == FlowKind.LOGIN;
        String field = flow.kind().addressField();
        List<UiNode> nodes = new ArrayList<>();
        if (flow.state() == FlowState.CHOOSE_METHOD) {
            nodes.add(UiNode.input("default", field, "email", address,
                    login ? UiText.label(1070004, "Email") : UiText.label(1070002, "E-Mail"))
                    .required().autocomplete("email"));
            nodes.add(UiNode.input("code", "method", "submit", "code",
                    login ? UiText.label(1010015, "Send sign in code") : UiText.label(1040006, "Sign up with code")));
            return nodes;
        }
        nodes.add(UiNode.input(login ? "code" : "default", field, "hidden", address, null));
        nodes.add(UiNode.input("code", "code", "text", null,
                        login ? UiText.label(1010010, "Sign in code") : UiText.label(1040010, "Sign up code"))
                .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                .attribute("pattern", "[0-9]*"));
        nodes.add(UiNode.input("code", "method", "submit", "code", UiText.label(1010009, "Continue")));
        nodes.add(UiNode.input("code", "resend", "submit", "code", UiText.label(1070008, "Resend code")));
        return nodes;
    }

    /** The second-factor prompt of an {@code aal=aal2} login: an authenticator code, or a backup code. */
    static List<UiNode> secondFactorNodes() {
        List<UiNode> nodes = new ArrayList<>();
        nodes.add(UiNode.input("totp", "totp_code", "text", null, UiText.label(1010006, "Authentication code"))
                .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                .attribute("pattern", "[0-9]*").attribute("maxlength", 6));
        nodes.add(UiNode.input("totp", "method", "submit", "totp", UiText.label(1010009, "Continue")));
        nodes.add(UiNode.input("lookup_secret", "lookup_secret", "text", null,
                UiText.label(1010007, "Backup recovery code")).required().autocomplete("off"));
        nodes.add(UiNode.input("lookup_secret", "method", "submit", "lookup_secret",
                UiText.label(1010009, "Continue")));
        return nodes;
    }

    /** Attaches {@code message} to the node called {@code name}. */
    public static List<UiNode> withFieldMessage(List<UiNode> nodes, String name, UiText message) {
        for (UiNode node : nodes) {
            if (name.equals(node.name())) {
                node.message(message);
            }
        }
        return nodes;
    }
}
