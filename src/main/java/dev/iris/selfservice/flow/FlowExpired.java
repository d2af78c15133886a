package dev.iris.selfservice.flow;

import dev.iris.support.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The 410 {@code self_service_flow_expired} of a flow past its lifespan, Kratos-shaped: it names the fresh flow
 * that replaces it ({@code use_flow_id}), when the old one expired and how long ago (nanoseconds).
 */
public final class FlowExpired {

    private FlowExpired() {
    }

    public static ApiException of(Flow expired, UUID useFlowId, Instant now) {
        return new ApiException(410, "self_service_flow_expired",
                "The self-service flow expired, please retry the flow.")
                .with("use_flow_id", useFlowId)
                .with("expired_at", expired.expiresAt())
                .with("since", Duration.between(expired.expiresAt(), now).toNanos());
    }
}
