package dev.iris.flow;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Kratos flow JSON (wire record). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowView(UUID id, FlowType type, FlowState state, Instant expiresAt, Instant issuedAt, Instant createdAt,
                       Instant updatedAt, String requestUrl, String returnTo, String active, String requestedAal,
                       boolean refresh, Ui ui) {

    public record Ui(String action, String method, List<UiText> messages, List<UiNode> nodes) {
    }

    public static FlowView of(Flow flow, String publicUrl, List<UiText> messages, List<UiNode> nodes) {
        String action = publicUrl + "/self-service/" + flow.kind().path() + "?flow=" + flow.id();
        return new FlowView(flow.id(), flow.type(), flow.state(), flow.expiresAt(), flow.issuedAt(), flow.issuedAt(),
                flow.updatedAt(), flow.requestUrl(), flow.returnTo(), flow.active(), flow.requestedAal(),
                flow.refresh(), new Ui(action, "POST", messages, nodes));
    }
}
