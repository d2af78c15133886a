package dev.iris.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request-level failure answered with the Kratos error shape
 * {@code {"error":{"id","code","status","reason","message"}}}; {@code extra} adds top-level fields such as
 * {@code use_flow_id}; {@code details} fills {@code error.details} (as Kratos's herodot errors do). Flow-level
 * problems are not exceptions: they answer the flow with a ui message.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String id;
    private final String reason;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ApiException(int status, String id, String reason) {
        super(id, null, false, false);
        this.status = status;
        this.id = id;
        this.reason = reason;
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, "bad_request", reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, "not_found", reason);
    }

    public static ApiException unauthorized(String reason) {
        return new ApiException(401, "unauthorized", reason);
    }

    public static ApiException sessionInactive() {
        return new ApiException(401, "session_inactive", "No active session was found in this request.");
    }

    public ApiException with(String field, Object value) {
        extra.put(field, value);
        return this;
    }

    public ApiException detail(String field, Object value) {
        details.put(field, value);
        return this;
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String id() {
        return id;
    }

    public String reason() {
        return reason;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
