package dev.iris.admin;

import dev.iris.support.Detached;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.iris.selfservice.ui.UiText;
import dev.iris.identity.EmailAddress;
import dev.iris.identity.IdentityService;
import dev.iris.identity.IdentityView;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionView;
import dev.iris.support.ApiException;
import dev.iris.support.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
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

    static final int DEFAULT_PAGE_SIZE = 250;
    static final int MAX_PAGE_SIZE = 1000;

    private final IdentityService identities;
    private final SessionDirectory sessions;
    private final SecondFactorLockout lockout;
    private final String publicUrl;
    private final boolean smtpUtf8;

    public AdminIdentityResource(IdentityService identities, SessionDirectory sessions, SecondFactorLockout lockout,
                                 dev.iris.config.IrisConfig config) {
        this.identities = identities;
        this.sessions = sessions;
        this.lockout = lockout;
        this.publicUrl = config.publicUrl();
        this.smtpUtf8 = config.mail().smtputf8();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an identity (201; 409 when the address exists; 400 + message 4000004 when it is "
            + "not a mailbox Iris can mail)")
    public Uni<Response> create(CreateIdentity body) {
        if (body == null || body.traits() == null || !(body.traits().get("email") instanceof String email)) {
            throw ApiException.badRequest("traits.email is required.");
        }
        if (body.schemaId() != null && !"default".equals(body.schemaId())) {
            throw ApiException.badRequest("Only schema_id \"default\" exists.");
        }
        if (EmailAddress.normalise(email, smtpUtf8).isEmpty()) {
            String shown = email.length() > 64 ? email.substring(0, 64) : email;
            throw ApiException.badRequest("traits.email must be a valid email address.")
                    .detail("messages", List.of(UiText.invalidEmail(shown)));
        }
        return Detached.of(identities.create(email))
                .map(identity -> Response.status(201).entity(IdentityView.of(identity)).build());
    }

    @GET
    @Operation(summary = "List identities in pages (key-set: follow the Link header's rel=\"next\")")
    public Uni<Response> list(@QueryParam("credentials_identifier") String identifier,
                              @QueryParam("page_size") String pageSize, @QueryParam("page_token") String pageToken) {
        int size = pageSize(pageSize);
        UUID after = pageToken == null || pageToken.isBlank() ? null : Ids.parse(pageToken)
                .orElseThrow(() -> ApiException.badRequest("page_token is not a token this API issued."));
        return identities.page(after, identifier, size).map(page -> {
            Response.ResponseBuilder answer = Response.ok(page.items().stream().map(IdentityView::of).toList());
            String base = "/admin/identities?page_size=" + size
                    + (identifier == null ? "" : "&credentials_identifier=" + encode(identifier));
            StringBuilder link = new StringBuilder("<" + publicUrl + base + ">; rel=\"first\"");
            page.nextToken().ifPresent(next -> link.append(",<").append(publicUrl).append(base)
                    .append("&page_token=").append(next).append(">; rel=\"next\""));
            return answer.header("Link", link.toString()).build();
        });
    }

    private static int pageSize(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(raw);
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("page_size must be a number from 1 to " + MAX_PAGE_SIZE + ".");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
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
        return Detached.of(sessions.deleteIdentity(parse(id))).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{id}/sessions")
    @Operation(summary = "List an identity's sessions (active and ended)")
    public Uni<List<SessionView>> ofIdentity(@PathParam("id") String id) {
        return sessions.allOf(parse(id));
    }

    @DELETE
    @Path("/{id}/sessions")
    @Operation(summary = "End every session of an identity (204)")
    public Uni<Response> revokeOfIdentity(@PathParam("id") String id) {
        return Detached.of(sessions.revokeAll(parse(id), "admin")).replaceWith(Response.noContent().build());
    }

    @DELETE
    @Path("/{id}/second-factor-lockout")
    @Operation(summary = "Lift the identity's second-factor lockout: failed-code count, lockout and per-identity "
            + "second-factor budget start afresh (204; 404 for an unknown identity)")
    public Uni<Response> liftSecondFactorLockout(@PathParam("id") String id) {
        UUID identityId = parse(id);
        return identities.get(identityId)
                .chain(() -> lockout.lift(identityId))
                .replaceWith(Response.noContent().build());
    }

    static UUID parse(String id) {
        return AdminSessionResource.uuid(id);
    }
}
