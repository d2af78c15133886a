package dev.iris.selfservice.sessions;

import dev.iris.support.Detached;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code DELETE /self-service/logout/api}: revokes the session whose token is in the body. */
@Path("/self-service/logout/api")
@Tag(name = "logout")
public class LogoutResource {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LogoutBody(String sessionToken) {
    }

    private final SessionService sessions;

    public LogoutResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a session token (204 also for an already revoked or unknown token)")
    public Uni<Response> logout(LogoutBody body) {
        if (body == null || body.sessionToken() == null || body.sessionToken().isBlank()
                || body.sessionToken().length() > 512) {
            throw ApiException.badRequest("session_token is required.");
        }
        return Detached.of(sessions.revoke(body.sessionToken().strip())).replaceWith(Response.noContent().build());
    }
}
