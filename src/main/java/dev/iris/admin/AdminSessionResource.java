package dev.iris.admin;

import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionView;
import dev.iris.support.ApiException;
import dev.iris.support.Detached;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** {@code /admin/sessions/{id}}: session administration behind {@link AdminKeyFilter}. */
@Path("/admin/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminSessionResource {

    private final SessionDirectory directory;

    public AdminSessionResource(SessionDirectory directory) {
        this.directory = directory;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get one session")
    public Uni<SessionView> get(@PathParam("id") String id) {
        return directory.get(uuid(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "End one session (204)")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return Detached.of(directory.revoke(uuid(id), "admin")).replaceWith(Response.noContent().build());
    }

    static UUID uuid(String id) {
        return Ids.parse(id).orElseThrow(() -> ApiException.badRequest("The id must be a UUID."));
    }
}
