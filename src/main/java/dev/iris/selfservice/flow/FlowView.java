package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.UUID;

/** The Kratos flow JSON (wire record). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowView(UUID id, FlowType type, FlowState state, Instant expiresAt, Instant issuedAt, Instant createdAt,
                       Instant updatedAt, String requestUrl, String returnTo, String active, String requestedAal,
                       boolean refresh, Ui ui, Object identity, List<Map<String, Object>> continueWith) {

    public record Ui(String action, String method, List<UiText> messages, List<UiNode> nodes) {
    }

    /** The same flow with the browser's {@code csrf_token} as the first node (browser flows only). */
    public FlowView withCsrfToken(String token) {
        List<UiNode> nodes = new ArrayList<>(ui.nodes());
        nodes.add(0, UiNode.input("default", "csrf_token", "hidden", token, null).required());
        return new FlowView(id, type, state, expiresAt, issuedAt, createdAt, updatedAt, requestUrl, returnTo, active,
                requestedAal, refresh, new Ui(ui.action(), ui.method(), ui.messages(), nodes), identity, continueWith);
    }

    /** The same flow with every ui text {@code translate}d (see {@link UiNode#withTexts}). */
    public FlowView withTexts(UnaryOperator<UiText> translate) {
        Ui translated = new Ui(ui.action(), ui.method(), ui.messages().stream().map(translate).toList(),
                ui.nodes().stream().map(node -> node.withTexts(translate)).toList());
        return new FlowView(id, type, state, expiresAt, issuedAt, createdAt, updatedAt, requestUrl, returnTo, active,
                requestedAal, refresh, translated, identity, continueWith);
    }

    /** Every message of the flow: top-level ones, then those on nodes. */
    public List<UiText> allMessages() {
        List<UiText> all = new ArrayList<>(ui.messages());
        ui.nodes().forEach(node -> all.addAll(node.messages()));
        return all;
    }

    /** {@code method}: how the form is sent ({@code POST}; {@code GET} for a link onwards, as after a verification). */
    public static FlowView of(Flow flow, String action, String method, List<UiText> messages, List<UiNode> nodes) {
        return new FlowView(flow.id(), flow.type(), flow.state(), flow.expiresAt(), flow.issuedAt(), flow.issuedAt(),
                flow.updatedAt(), flow.requestUrl(), flow.returnTo(), flow.active(), flow.requestedAal(),
                flow.refresh(), new Ui(action, method, messages, nodes), null, null);
    }

    /** Settings flows carry the identity they belong to. */
    public FlowView withIdentity(Object identityView) {
        return new FlowView(id, type, state, expiresAt, issuedAt, createdAt, updatedAt, requestUrl, returnTo, active,
                requestedAal, refresh, ui, identityView, continueWith);
    }

    /** What the client does next (Kratos's {@code continue_with} items), e.g. after an api recovery. */
    public FlowView withContinueWith(List<Map<String, Object>> items) {
        return new FlowView(id, type, state, expiresAt, issuedAt, createdAt, updatedAt, requestUrl, returnTo, active,
                requestedAal, refresh, ui, identity, items);
    }
}
