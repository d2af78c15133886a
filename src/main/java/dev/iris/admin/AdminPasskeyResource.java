package dev.iris.admin;

import dev.iris.credential.PasskeyStore;
import dev.iris.identity.IdentityService;
import dev.iris.support.ApiException;
import io.quarkus.logging.Log;
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

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * An identity's passkeys for administrators: list them, remove one, or remove all (Kratos's
 * {@code DELETE /admin/identities/{id}/credentials/passkey}). Removing a passkey ends no session.
 */
@Path("/admin/identities/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminPasskeyResource {

    private final IdentityService identities;
    private final PasskeyStore passkeys;

    public AdminPasskeyResource(IdentityService identities, PasskeyStore passkeys) {
        this.identities = identities;
        this.passkeys = passkeys;
    }

    /** A passkey as administrators see it (public data only). */
    public record PasskeyView(String id, String displayName, UUID aaguid, List<String> transports,
                              boolean backupEligible, boolean backupState, Instant createdAt, Instant lastUsedAt) {

        static PasskeyView of(PasskeyStore.Passkey passkey) {
            return new PasskeyView(HexFormat.of().formatHex(passkey.credentialId()), passkey.displayName(),
                    passkey.aaguid(), passkey.transports().isEmpty() ? List.of()
                    : Arrays.asList(passkey.transports().split(",")), passkey.backupEligible(),
                    passkey.backupState(), passkey.createdAt(), passkey.lastUsedAt());
        }
    }

    @GET
    @Path("/passkeys")
    @Operation(summary = "List an identity's passkeys (404 for an unknown identity)")
    public Uni<List<PasskeyView>> list(@PathParam("id") String id) {
        UUID identityId = AdminIdentityResource.parse(id);
        return identities.get(identityId).chain(() -> passkeys.of(identityId))
                .map(all -> all.stream().map(PasskeyView::of).toList());
    }

    @DELETE
    @Path("/passkeys/{credential}")
    @Operation(summary = "Remove one passkey of an identity (204; 404 when it has none with that id)")
    public Uni<Response> remove(@PathParam("id") String id, @PathParam("credential") String credential) {
        UUID identityId = AdminIdentityResource.parse(id);
        byte[] credentialId;
        try {
            credentialId = HexFormat.of().parseHex(credential);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The passkey id is the hexadecimal credential id.");
        }
        return passkeys.remove(identityId, credentialId).map(removed -> {
            if (!removed) {
                throw new ApiException(404, "not_found", "The identity has no passkey with that id.");
            }
            Log.infof("audit passkey.removed identity=%s via=admin", identityId);
            return Response.noContent().build();
        });
    }

    @DELETE
    @Path("/credentials/passkey")
    @Operation(summary = "Remove every passkey of an identity (Kratos's credential deletion; 204)")
    public Uni<Response> removeAll(@PathParam("id") String id) {
        UUID identityId = AdminIdentityResource.parse(id);
        return identities.get(identityId).chain(() -> passkeys.removeAll(identityId))
                .invoke(count -> Log.infof("audit passkey.removed identity=%s via=admin count=%d", identityId, count))
                .replaceWith(Response.noContent().build());
    }
}
