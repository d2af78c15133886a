package dev.iris.selfservice.sessions;

import dev.iris.session.SessionTokenizer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify session tokens ({@code whoami?tokenize_as=}), every
 * key of {@code iris.session.tokenizer.jwks} — the signing key and those kept for the rotation overlap. Public halves
 * only; an empty set when no keys are configured.
 */
@Path("/.well-known/jwks.json")
@Tag(name = "sessions")
public class JwksResource {

    private final SessionTokenizer tokenizer;

    public JwksResource(SessionTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public keys that verify session tokens (JWKS)")
    public Response keys() {
        return Response.ok(tokenizer.publicKeys()).header("Cache-Control", "public, max-age=60").build();
    }
}
