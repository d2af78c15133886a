package dev.iris.admin;

import dev.iris.config.IrisConfig;
import dev.iris.crypto.Digests;
import dev.iris.http.ErrorBody;
import dev.iris.support.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Guards {@code /admin/*} with a bearer key from {@code iris.admin.api-keys}. Keys are compared as SHA-256
 * digests with {@link MessageDigest#isEqual}, every key every time, so neither the match nor its length leaks
 * through timing.
 */
public class AdminKeyFilter {

    private final List<byte[]> keyDigests;

    public AdminKeyFilter(IrisConfig config) {
        this.keyDigests = config.admin().apiKeys().stream().map(Digests::sha256).toList();
    }

    @ServerRequestFilter
    public Optional<Response> requireKey(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        String header = context.getHeaderString("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && known(header.substring(7).strip())) {
            return Optional.empty();
        }
        return Optional.of(ErrorBody.response(
                ApiException.unauthorized("A valid admin API key is required (Authorization: Bearer <key>).")
                        .header("WWW-Authenticate", "Bearer")));
    }

    private boolean known(String presented) {
        byte[] digest = Digests.sha256(presented);
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(key, digest);
        }
        return match;
    }
}
