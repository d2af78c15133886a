package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.FlowUi;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.SecretCipher;
import jakarta.inject.Singleton;

import java.util.List;

/** Renders flows as Kratos flow JSON: the nodes of their state, their messages, and the address they hold. */
@Singleton
public class FlowViews {

    private final SecretCipher cipher;
    private final String publicUrl;

    public FlowViews(SecretCipher cipher, IrisConfig config) {
        this.cipher = cipher;
        this.publicUrl = config.publicUrl();
    }

    /** The flow as it stands: remembered messages, or "code sent" once sent. */
    public FlowView of(Flow flow) {
        List<UiText> messages = flow.messages() != null ? flow.messages()
                : flow.secondFactor() ? List.of(UiText.secondFactorPrompt())
                : flow.state() == FlowState.SENT_EMAIL ? List.of(UiText.codeSent(flow.kind(), flow.resendAt()))
                : List.of();
        return of(flow, messages, null, null, address(flow));
    }

    /** The flow with these messages; {@code fieldMessage} goes onto the node called {@code field}. */
    public FlowView of(Flow flow, List<UiText> messages, String field, UiText fieldMessage, String address) {
        List<UiNode> nodes = FlowUi.nodes(flow, address);
        if (field != null) {
            FlowUi.withFieldMessage(nodes, field, fieldMessage);
        }
        return FlowView.of(flow, publicUrl, messages, nodes);
    }

    /** The address the flow holds (opened from its sealed form), or null before the first send. */
    public String address(Flow flow) {
        return flow.sealedIdentifier() == null ? null : cipher.openText(flow.sealedIdentifier());
    }
}
