package dev.iris.http;

import dev.iris.support.ApiException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the Kratos error JSON of an {@link ApiException} — {@code {"error":{"id","code","status","reason",
 * "message","details"?}, ...extra}} with the exception's headers — for the REST layer ({@link #response}) and for
 * plain Vert.x routes ({@link #write}) alike, so every error answer has one shape.
 */
public final class ErrorBody {

    private ErrorBody() {
    }

    /** The answer when a backing service (Postgres, Redis) fails in a way no caller can fix. */
    public static ApiException serviceUnavailable() {
        return new ApiException(503, "service_unavailable", "A backing service is unavailable; try again shortly.");
    }

    public static Map<String, Object> of(int status, String id, String reason) {
        return of(new ApiException(status, id, reason));
    }

    /** The body: {@code details} (when there are any) inside {@code error}, {@code extra} fields beside it. */
    public static Map<String, Object> of(ApiException e) {
        Response.Status known = Response.Status.fromStatusCode(e.status());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("id", e.id());
        error.put("code", e.status());
        error.put("status", known != null ? known.getReasonPhrase() : "Error");
        error.put("reason", e.reason());
        error.put("message", messageFor(e.status()));
        if (!e.details().isEmpty()) {
            error.put("details", e.details());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.putAll(e.extra());
        return body;
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 400 -> "The request was malformed or contained invalid parameters";
            case 401 -> "The request could not be authorized";
            case 403 -> "The requested action was forbidden";
            case 404 -> "The requested resource could not be found";
            case 409 -> "The resource could not be created due to a conflict";
            case 410 -> "The requested resource is no longer available";
            case 413 -> "The request body is too large";
            case 429 -> "Too many requests";
            case 503 -> "A backing service is unavailable; try again shortly";
            default -> status >= 500 ? "An internal server error occurred, please contact the system administrator"
                    : "The request could not be processed";
        };
    }

    public static Response response(int status, String id, String reason) {
        return response(new ApiException(status, id, reason));
    }

    /** The REST answer: status, JSON body, the exception's headers. */
    public static Response response(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.status()).type("application/json").entity(of(e));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    /** The same answer written to a Vert.x response (for routes in front of the REST layer), which it ends. */
    public static void write(HttpServerResponse response, ApiException e) {
        response.setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        e.headers().forEach(response::putHeader);
        response.end(Json.encode(of(e)));
    }
}
