package dev.iris.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.iris.events.EventType;
import dev.iris.events.WebhookEndpoints;
import dev.iris.events.WebhookStore;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code /admin/webhooks/{endpoint}}: the deliveries of a configured endpoint, replays and test events. */
@Path("/admin/webhooks/{endpoint}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminWebhookResource {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");
    private static final int MAX_LISTED = 500;

    private final WebhookStore store;
    private final WebhookEndpoints endpoints;

    public AdminWebhookResource(WebhookStore store, WebhookEndpoints endpoints) {
        this.store = store;
        this.endpoints = endpoints;
    }

    /** One delivery on the wire. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryView(UUID id, UUID eventId, String type, Instant occurredAt, String status, int attempts,
                               Instant nextAttemptAt, Instant createdAt, Instant settledAt, Integer lastStatus,
                               String lastError) {

        static DeliveryView of(WebhookStore.Listed d) {
            return new DeliveryView(d.id(), d.eventId(), d.type(), d.occurredAt(), d.status(), d.attempts(),
                    "pending".equals(d.status()) ? d.nextAttemptAt() : null, d.createdAt(), d.settledAt(),
                    d.lastStatus(), d.lastError());
        }
    }

    @GET
    @Path("/deliveries")
    @Operation(summary = "List an endpoint's deliveries, newest first (status: pending, delivered or failed)")
    public Uni<List<DeliveryView>> deliveries(@PathParam("endpoint") String endpoint,
                                              @QueryParam("status") String status,
                                              @QueryParam("page_size") Integer pageSize) {
        String name = known(endpoint);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status must be pending, delivered or failed.");
        }
        int limit = pageSize == null ? 100 : pageSize;
        if (limit < 1 || limit > MAX_LISTED) {
            throw ApiException.badRequest("page_size must be a number from 1 to " + MAX_LISTED + ".");
        }
        return store.list(name, Optional.ofNullable(status), limit)
                .map(list -> list.stream().map(DeliveryView::of).toList());
    }

    @POST
    @Path("/deliveries/{id}/replay")
    @Operation(summary = "Deliver one delivery again, whatever its state (202; 404 when the endpoint has no such delivery)")
    public Uni<Response> replay(@PathParam("endpoint") String endpoint, @PathParam("id") String id) {
        String name = known(endpoint);
        UUID delivery = Ids.parse(id).orElseThrow(() -> ApiException.badRequest("The id must be a UUID."));
        return store.replay(name, delivery).map(found -> {
            if (!found) {
                throw ApiException.notFound("The endpoint has no such delivery.");
            }
            return Response.accepted(Map.of("id", delivery, "status", "pending")).build();
        });
    }

    @POST
    @Path("/test")
    @Operation(summary = "Queue a webhook.test event for this endpoint only (202 with the event id)")
    public Uni<Response> test(@PathParam("endpoint") String endpoint) {
        String name = known(endpoint);
        return store.emitTo(name, EventType.TEST, new JsonObject().put("endpoint", name)
                        .put("requested_at", Instant.now().toString()))
                .map(eventId -> Response.accepted(Map.of("event_id", eventId)).build());
    }

    private String known(String endpoint) {
        return endpoints.named(endpoint).map(WebhookEndpoints.Endpoint::name)
                .orElseThrow(() -> ApiException.notFound("No webhook endpoint of that name is configured."));
    }
}
