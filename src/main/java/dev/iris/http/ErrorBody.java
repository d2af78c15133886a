package dev.iris.http;

import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the Kratos error JSON. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Map<String, Object> of(int status, String id, String reason) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String statusText = known != null ? known.getReasonPhrase() : "Error";
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("id", id);
        error.put("code", status);
        error.put("status", statusText);
        error.put("reason", reason);
        error.put("message", messageFor(status));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
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
        return Response.status(status).type("application/json").entity(of(status, id, reason)).build();
    }
}
