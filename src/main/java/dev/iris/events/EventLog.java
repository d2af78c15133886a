package dev.iris.events;

import dev.iris.config.IrisConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/**
 * The events no table change carries, emitted by the code that decides them: a failed sign-in changes nothing in
 * Postgres, so no trigger sees it. Written only when an endpoint subscribes; best effort (a failure to write one
 * is logged and never fails the sign-in it describes).
 */
@Singleton
public class EventLog {

    private final WebhookStore store;
    private final boolean loginFailedWanted;
    private final boolean includeAddress;

    public EventLog(WebhookStore store, WebhookEndpoints endpoints, IrisConfig config) {
        this.store = store;
        this.loginFailedWanted = endpoints.all().values().stream()
                .anyMatch(endpoint -> endpoint.events().contains(EventType.LOGIN_FAILED.wire()));
        this.includeAddress = config.events().includeAddress();
    }

    /**
     * A sign-in attempt refused: {@code reason} says why (invalid_code, attempts_exhausted). The address tried is in
     * the payload only with {@code iris.events.include-address}; never the code.
     */
    public Uni<Void> loginFailed(UUID flowId, String method, String reason, String address) {
        if (!loginFailedWanted) {
            return Uni.createFrom().voidItem();
        }
        JsonObject data = new JsonObject().put("flow_id", flowId.toString()).put("method", method)
                .put("reason", reason).put("failed_at", Instant.now().toString());
        if (includeAddress && address != null) {
            data.put("email", address);
        }
        return store.emit(EventType.LOGIN_FAILED.wire(), data).onFailure().recoverWithUni(failure -> {
            Log.warnf("login.failed event not written: %s", failure.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }
}
