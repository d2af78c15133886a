package dev.iris.http;

import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import io.vertx.core.http.HttpServerRequest;

import java.util.UUID;

/** Small parsing shared by the self-service resources. */
public final class Requests {

    private Requests() {
    }

    public static UUID flowId(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest("The flow query parameter is missing.");
        }
        return Ids.parse(raw).orElseThrow(() -> ApiException.notFound("The requested flow could not be found."));
    }

    /** {@code X-Session-Token}, else {@code Authorization: Bearer}, else the session cookie, else null. */
    public static String sessionToken(HttpServerRequest request, String cookieName) {
        String token = sessionToken(request);
        if (token != null) {
            return token;
        }
        return cookie(request, cookieName);
    }

    /** The value of the cookie {@code name}, or null when absent or blank. */
    public static String cookie(HttpServerRequest request, String name) {
        io.vertx.core.http.Cookie cookie = request.getCookie(name);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** {@code X-Session-Token}, else {@code Authorization: Bearer}, else null. */
    public static String sessionToken(HttpServerRequest request) {
        String token = request.getHeader("X-Session-Token");
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

}
