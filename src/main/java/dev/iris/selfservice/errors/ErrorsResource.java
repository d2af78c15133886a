package dev.iris.selfservice.errors;

import dev.iris.http.SelfServiceErrors;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /self-service/errors?id=}: an error a browser was sent to the UI's error page with (Kratos's shape). */
@Path("/self-service/errors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "errors")
public class ErrorsResource {

    private final SelfServiceErrors errors;

    public ErrorsResource(SelfServiceErrors errors) {
        this.errors = errors;
    }

    @GET
    @Operation(summary = "Fetch a self-service error (kept for an hour)")
    public Uni<Response> fetch(@QueryParam("id") String id) {
        return Uni.createFrom().item(() -> Ids.parse(id == null ? "" : id)
                        .orElseThrow(() -> ApiException.notFound("The requested error could not be found.")))
                .chain(errors::find)
                .map(json -> Response.ok(json, MediaType.APPLICATION_JSON).build());
    }
}
