package dev.iris.selfservice.flow;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.SecretCipher;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.support.SelfServiceUrls;
import io.quarkus.arc.All;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders login, registration, recovery and verification flows as Kratos flow JSON: the nodes every method plugged into the flow adds
 * for its state, the flow's messages, and the address it holds. Settings flows are rendered by their service
 * (their nodes need the identity's stored factors).
 */
@Singleton
public class FlowViews {

    private final SecretCipher cipher;
    private final IrisConfig config;
    private final SelfServiceUrls urls;
    private final List<FirstFactorMethod> firstFactors;
    private final List<SecondFactorMethod> secondFactors;

    public FlowViews(SecretCipher cipher, SelfServiceUrls urls, @All List<FirstFactorMethod> firstFactors,
                     @All List<SecondFactorMethod> secondFactors, IrisConfig config) {
        this.config = config;
        this.cipher = cipher;
        this.urls = urls;
        this.firstFactors = List.copyOf(firstFactors);
        this.secondFactors = secondFactors.stream().sorted(Comparator.comparingInt(SecondFactorMethod::position))
                .toList();
    }

    /**
     * The flow as it stands: its remembered messages; when it has none, the second-factor prompt, or what the
     * method it is using says about its state ("code sent").
     */
    public FlowView of(Flow flow) {
        List<UiText> messages = flow.messages() != null ? flow.messages()
                : flow.secondFactor() ? List.of(UiText.secondFactorPrompt())
                : firstFactors.stream().filter(method -> method.id().equals(flow.active())).findFirst()
                .map(method -> method.messages(flow)).orElse(List.of());
        return of(flow, messages, null, null, address(flow));
    }

    /** The flow with these messages; {@code fieldMessage} goes onto the node called {@code field}. */
    public FlowView of(Flow flow, List<UiText> messages, String field, UiText fieldMessage, String address) {
        List<UiNode> nodes = new ArrayList<>();
        if (flow.secondFactor()) {
            secondFactors.forEach(method -> nodes.addAll(method.loginNodes(flow)));
        } else {
            firstFactors.stream().filter(method -> method.supports(flow.kind()))
                    .forEach(method -> nodes.addAll(method.nodes(flow, address)));
        }
        return of(flow, messages, nodes, field, fieldMessage);
    }

    /** The flow with these nodes and messages; {@code fieldMessage} goes onto the node called {@code field}. */
    public FlowView of(Flow flow, List<UiText> messages, List<UiNode> given, String field, UiText fieldMessage) {
        // Two methods may each need a script (passkeys and security keys both run webauthn.js): the page loads it once.
        Set<Object> scripts = new HashSet<>();
        List<UiNode> nodes = new ArrayList<>(given);
        nodes.removeIf(node -> "script".equals(node.type()) && !scripts.add(node.attributes().get("src")));
        if (field != null) {
            nodes.stream().filter(node -> field.equals(node.name())).forEach(node -> node.message(fieldMessage));
        }
        if (flow.kind() == FlowKind.VERIFICATION && flow.state() == FlowState.PASSED_CHALLENGE) {
            // As Kratos: a passed verification is a link onwards, not a form.
            return FlowView.of(flow, flow.continueTo(config.defaultReturnUrl()), "GET", messages, nodes);
        }
        return FlowView.of(flow, urls.action(flow.kind().path(), flow.id()), "POST", messages, nodes);
    }

    /** The address the flow holds (opened from its sealed form), or null before the first send. */
    public String address(Flow flow) {
        return flow.sealedIdentifier() == null ? null : cipher.openText(flow.sealedIdentifier());
    }
}
