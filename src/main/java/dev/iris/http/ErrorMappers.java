package dev.iris.http;

import dev.iris.support.ApiException;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.ConnectException;

/**
 * The one place exceptions become HTTP answers. Bodies never carry exception names, messages from
 * libraries, or stack traces.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return ErrorBody.response(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return ErrorBody.response(400, "bad_request", "The request body is not valid JSON of the expected shape.");
    }

    @ServerExceptionMapper
    public Response wrongShape(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return ErrorBody.response(404, "not_found", "The requested resource could not be found.");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return ErrorBody.response(405, "method_not_allowed", "This method is not allowed on this resource.");
    }

    @ServerExceptionMapper
    public Response unsupportedType(NotSupportedException e) {
        return ErrorBody.response(400, "bad_request",
                "Unsupported Content-Type; send application/json or application/x-www-form-urlencoded.");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            return ErrorBody.response(413, "bad_request", "The request body is too large.");
        }
        if (status >= 500) {
            Log.errorf("Unexpected web failure %d", status);
            return ErrorBody.response(500, "internal_server_error", "An unexpected error occurred.");
        }
        if (e.getCause() instanceof JsonProcessingException) {
            return malformedJson((JsonProcessingException) e.getCause());
        }
        return ErrorBody.response(status, "bad_request", "The request could not be processed.");
    }

    @ServerExceptionMapper
    public Response backend(PgException e) {
        Log.errorf("Postgres error %s", e.getSqlState());
        return unavailable();
    }

    @ServerExceptionMapper
    public Response connect(ConnectException e) {
        Log.errorf("Backing service unreachable: %s", e.getClass().getSimpleName());
        return unavailable();
    }

    @ServerExceptionMapper
    public Response vertx(VertxException e) {
        Log.errorf("Backing service failure: %s", e.getClass().getSimpleName());
        return unavailable();
    }

    @ServerExceptionMapper
    public Response any(Throwable e) {
        Log.error("Unexpected failure", e);
        return ErrorBody.response(500, "internal_server_error", "An unexpected error occurred.");
    }

    private static Response unavailable() {
        return ErrorBody.response(ErrorBody.serviceUnavailable());
    }
}
