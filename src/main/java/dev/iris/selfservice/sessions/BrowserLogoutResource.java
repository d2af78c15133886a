package dev.iris.selfservice.sessions;

import dev.iris.http.Cookies;
import dev.iris.http.Requests;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.http.ReturnUrls;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.Detached;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Map;

/**
 * Browser logout as in Kratos: {@code GET /self-service/logout/browser} hands the signed-in browser a logout
 * URL whose token is bound to its session; following it revokes the session, clears the cookie and redirects.
 * A third party cannot log a user out, since it cannot know the token.
 */
@Path("/self-service")
@Tag(name = "logout")
public class BrowserLogoutResource {

    private final SessionService sessions;
    private final CsrfTokens tokens;
    private final ReturnUrls returnUrls;
    private final Cookies cookies;
    private final IrisConfig config;

    public BrowserLogoutResource(SessionService sessions, CsrfTokens tokens, ReturnUrls returnUrls, Cookies cookies,
                                 IrisConfig config) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.returnUrls = returnUrls;
        this.cookies = cookies;
        this.config = config;
    }

    @GET
    @Path("/logout/browser")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get a logout URL for the signed-in browser")
    public Uni<Map<String, String>> logoutUrl(@Context HttpServerRequest request) {
        String token = Requests.sessionToken(request, cookies.sessionName());
        // Any assurance level: a user stuck at the second-factor prompt must be able to sign out (Kratos does).
        return sessions.current(token).map(entry -> {
            String logoutToken = tokens.logoutToken(token);
            return Map.of("logout_token", logoutToken,
                    "logout_url", config.publicUrl() + "/self-service/logout?token=" + logoutToken);
        });
    }

    @GET
    @Path("/logout")
    @Operation(summary = "Log the browser out (revokes the session, clears the cookie, 303)")
    public Uni<Response> logout(@QueryParam("token") String logoutToken, @QueryParam("return_to") String returnTo,
                                @Context HttpServerRequest request) {
        String target = returnTo == null || returnTo.isBlank() ? config.uiBaseUrl() + "/login"
                : returnUrls.check(returnTo);
        String sessionToken = Requests.cookie(request, cookies.sessionName());
        if (!tokens.validLogout(sessionToken, logoutToken)) {
            throw new ApiException(403, "security_csrf_violation", "The logout token does not belong to this browser.");
        }
        return Detached.of(sessions.revoke(sessionToken)).replaceWith(Response.seeOther(URI.create(target))
                .header("Set-Cookie", cookies.clearSession()).build());
    }
}
