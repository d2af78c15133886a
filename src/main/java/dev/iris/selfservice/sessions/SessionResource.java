package dev.iris.selfservice.sessions;

import dev.iris.http.Requests;

import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionService;
import dev.iris.session.SessionView;
import dev.iris.support.ApiException;
import dev.iris.support.Detached;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * {@code /sessions}: the caller's own other sessions. {@code GET /sessions/whoami} is served by {@link WhoamiRoute}
 * in front of the REST layer (its OpenAPI description is {@code META-INF/openapi.yaml}).
 */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionResource {

    private final SessionService sessions;
    private final SessionDirectory directory;

    private final String cookieName;

    public SessionResource(SessionService sessions, SessionDirectory directory, dev.iris.config.IrisConfig config) {
        this.sessions = sessions;
        this.directory = directory;
        this.cookieName = config.session().cookieName();
    }

    @GET
    @Operation(summary = "List the caller's other active sessions")
    public Uni<List<SessionView>> others(@Context HttpServerRequest request) {
        return sessions.whoami(Requests.sessionToken(request, cookieName)).chain(directory::othersOf);
    }

    @DELETE
    @Operation(summary = "End all the caller's other sessions")
    public Uni<Map<String, Integer>> revokeOthers(@Context HttpServerRequest request) {
        return Detached.of(sessions.whoami(Requests.sessionToken(request, cookieName))
                .chain(current -> directory.revokeOthers(current, "user")))
                .map(count -> Map.of("count", count));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "End one of the caller's other sessions (404 for anyone else's)")
    public Uni<Response> revokeOne(@PathParam("id") String id, @Context HttpServerRequest request) {
        return Detached.of(sessions.whoami(Requests.sessionToken(request, cookieName))
                .chain(current -> directory.revokeOwn(current, Ids.parse(id)
                        .orElseThrow(() -> ApiException.notFound("Unable to locate the resource")))))
                .replaceWith(Response.noContent().build());
    }
}
