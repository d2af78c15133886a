package dev.iris.admin;

import dev.iris.credential.WebAuthnStore;
import dev.iris.identity.IdentityService;
import dev.iris.session.SessionDirectory;
import dev.iris.support.ApiException;
import dev.iris.support.Detached;
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

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * An identity's WebAuthn credentials for administrators — passkeys ({@code /passkeys}) and security keys
 * ({@code /security-keys}): list them, remove one, or remove all of a kind (Kratos's
 * {@code DELETE /admin/identities/{id}/credentials/passkey} and {@code …/credentials/webauthn}). Removing a passkey
 * ends no session; removing a security key recomputes the identity's available AAL and drops its cached sessions,
 * whose verdict on it changed.
 */
@Path("/admin/identities/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminWebAuthnResource {

    private final IdentityService identities;
    private final WebAuthnStore credentials;
    private final SessionDirectory sessions;
    private final Clock clock;

    public AdminWebAuthnResource(IdentityService identities, WebAuthnStore credentials, SessionDirectory sessions,
                                 Clock clock) {
        this.identities = identities;
        this.credentials = credentials;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** A credential as administrators see it (public data only); {@code type}: {@code passkey} or {@code webauthn}. */
    public record CredentialView(String id, String type, String displayName, UUID aaguid, List<String> transports,
                                 boolean backupEligible, boolean backupState, Instant createdAt, Instant lastUsedAt) {

        static CredentialView of(WebAuthnStore.Credential credential) {
            return new CredentialView(HexFormat.of().formatHex(credential.credentialId()), credential.kind().column(),
                    credential.displayName(), credential.aaguid(), credential.transports().isEmpty() ? List.of()
                    : Arrays.asList(credential.transports().split(",")), credential.backupEligible(),
                    credential.backupState(), credential.createdAt(), credential.lastUsedAt());
        }
    }

    @GET
    @Path("/{kind: passkeys|security-keys}")
    @Operation(summary = "List an identity's passkeys or security keys (404 for an unknown identity)")
    public Uni<List<CredentialView>> list(@PathParam("id") String id, @PathParam("kind") String kind) {
        UUID identityId = AdminIdentityResource.parse(id);
        return identities.get(identityId).chain(() -> credentials.of(identityId, byPath(kind)))
                .map(all -> all.stream().map(CredentialView::of).toList());
    }

    @DELETE
    @Path("/{kind: passkeys|security-keys}/{credential}")
    @Operation(summary = "Remove one passkey or security key of an identity (204; 404 when it has none with that id)")
    public Uni<Response> remove(@PathParam("id") String id, @PathParam("kind") String kind,
                                @PathParam("credential") String credential) {
        UUID identityId = AdminIdentityResource.parse(id);
        byte[] credentialId;
        try {
            credentialId = HexFormat.of().parseHex(credential);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The credential id is hexadecimal.");
        }
        WebAuthnStore.Kind type = byPath(kind);
        // Detached: a caller hanging up must not leave the row gone and the sessions' cached verdicts standing.
        return Detached.of(credentials.remove(identityId, credentialId, type, clock.instant())
                .call(removed -> removed ? dropped(identityId, type, 1) : Uni.createFrom().voidItem()))
                .map(removed -> {
                    if (!removed) {
                        throw new ApiException(404, "not_found", "The identity has no such credential.");
                    }
                    return Response.noContent().build();
                });
    }

    @DELETE
    @Path("/credentials/{type: passkey|webauthn}")
    @Operation(summary = "Remove every passkey (passkey) or security key (webauthn) of an identity (Kratos's "
            + "credential deletion; 204)")
    public Uni<Response> removeAll(@PathParam("id") String id, @PathParam("type") String type) {
        UUID identityId = AdminIdentityResource.parse(id);
        WebAuthnStore.Kind kind = "webauthn".equals(type) ? WebAuthnStore.Kind.SECURITY_KEY
                : WebAuthnStore.Kind.PASSKEY;
        return Detached.of(identities.get(identityId)
                        .chain(() -> credentials.removeAll(identityId, kind, clock.instant()))
                        .call(count -> dropped(identityId, kind, count)))
                .replaceWith(Response.noContent().build());
    }

    /** Audited; a security key gone changes what the identity's sessions need, so their cached verdicts go. */
    private Uni<Void> dropped(UUID identityId, WebAuthnStore.Kind kind, int count) {
        Log.infof("audit %s.removed identity=%s via=admin count=%d", kind.column(), identityId, count);
        return kind == WebAuthnStore.Kind.SECURITY_KEY && count > 0 ? sessions.invalidateCached(identityId)
                : Uni.createFrom().voidItem();
    }

    private static WebAuthnStore.Kind byPath(String kind) {
        return "security-keys".equals(kind) ? WebAuthnStore.Kind.SECURITY_KEY : WebAuthnStore.Kind.PASSKEY;
    }
}
