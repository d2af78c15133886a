package dev.iris.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.identity.IdentityService;
import dev.iris.identity.IdentityView;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.UUID;

/** {@code /admin/identities}: internal identity administration behind {@link AdminKeyFilter}. */
@Path("/admin/identities")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminIdentityResource {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CreateIdentity(String schemaId, Map<String, Object> traits) {
    }

    private final IdentityService identities;

    public AdminIdentityResource(IdentityService identities) {
        this.identities = identities;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an identity (201; 409 when the address exists)")
    public Uni<Response> create(CreateIdentity body) {
        if (body == null || body.traits() == null || !(body.traits().get("email") instanceof String email)) {
            throw ApiException.badRequest("traits.email is required.");
        }
        if (body.schemaId() != null && !"default".equals(body.schemaId())) {
            throw ApiException.badRequest("Only schema_id \"default\" exists.");
        }
        return identities.create(email)
                .map(identity -> Response.status(201).entity(IdentityView.of(identity)).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an identity")
    public Uni<IdentityView> get(@PathParam("id") String id) {
        return identities.get(parse(id)).map(IdentityView::of);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an identity with its codes and sessions (204)")
    public Uni<Response> delete(@PathParam("id") String id) {
        return identities.delete(parse(id)).replaceWith(Response.noContent().build());
    }

    static UUID parse(String id) {
        return Ids.parse(id).orElseThrow(() -> ApiException.badRequest("The id must be a UUID."));
    }
}
