package dev.iris.selfservice;

import dev.iris.session.SessionService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /sessions/whoami}: the hot path, answered from the Redis cache with pre-rendered JSON. */
@Path("/sessions")
@Tag(name = "sessions")
public class SessionResource {

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    @Path("/whoami")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check who the current session belongs to")
    public Uni<Response> whoami(@Context HttpServerRequest request) {
        return sessions.whoami(Requests.sessionToken(request))
                .map(entry -> Response.ok(entry.json(), MediaType.APPLICATION_JSON)
                        .header("X-Kratos-Authenticated-Identity-Id", entry.identityId().toString())
                        .header("Cache-Control", "private, no-store")
                        .build());
    }
}
