package dev.iris.flow;

import java.util.ArrayList;
import java.util.List;

/** The ui nodes of a login flow in each state, as Kratos's code strategy renders them. */
public final class LoginUi {

    private LoginUi() {
    }

    /** Nodes for {@code flow}; {@code identifier} is the address to echo (already opened), or null. */
    public static List<UiNode> nodes(Flow flow, String identifier) {
        List<UiNode> nodes = new ArrayList<>();
        if (flow.state() == FlowState.CHOOSE_METHOD) {
            nodes.add(UiNode.input("default", "identifier", "email", identifier, UiText.label(1070004, "Email"))
                    .required().autocomplete("email"));
            nodes.add(UiNode.input("code", "method", "submit", "code", UiText.label(1010015, "Send sign in code")));
            return nodes;
        }
        nodes.add(UiNode.input("code", "identifier", "hidden", identifier, null));
        nodes.add(UiNode.input("code", "code", "text", null, UiText.label(1010010, "Sign in code"))
                .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                .attribute("pattern", "[0-9]*"));
        nodes.add(UiNode.input("code", "method", "submit", "code", UiText.label(1010009, "Continue")));
        nodes.add(UiNode.input("code", "resend", "submit", "code", UiText.label(1070008, "Resend code")));
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
