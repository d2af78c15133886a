package dev.iris.http;

import dev.iris.config.IrisConfig;
import dev.iris.support.ApiException;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code return_to} is honoured only for allowed URLs ({@code iris.ui.allowed-return-urls}): same scheme, host
 * and port as an entry, and a path under the entry's path. Anything else is refused with 400
 * {@code self_service_flow_return_to_forbidden} — no open redirects. As in Kratos, a relative {@code return_to}
 * ({@code /sessions}) is resolved against the default return URL first, and Iris's own self-service URLs
 * ({@code <public-url>/self-service/…}, e.g. a step-up that returns to settings) are always allowed.
 */
@Singleton
public class ReturnUrls {

    private final List<URI> allowed;
    private final String fallback;
    private final URI fallbackUri;
    private final String formActionSources;

    public ReturnUrls(IrisConfig config) {
        List<URI> listed = config.ui().allowedReturnUrls().orElse(List.of(config.uiBaseUrl() + "/")).stream()
                .map(URI::create).toList();
        this.allowed = Stream.concat(listed.stream(),
                Stream.of(URI.create(config.publicUrl() + "/self-service/"))).toList();
        this.fallback = config.defaultReturnUrl();
        this.fallbackUri = URI.create(fallback);
        this.formActionSources = Stream.concat(allowed.stream(), Stream.of(fallbackUri))
                .filter(uri -> uri.getScheme() != null && uri.getHost() != null)
                .map(uri -> uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()))
                .distinct().collect(Collectors.joining(" "));
    }

    /** The checked {@code return_to}, or null when none was asked for. */
    public String check(String returnTo) {
        if (returnTo == null || returnTo.isBlank()) {
            return null;
        }
        URI candidate;
        try {
            candidate = URI.create(returnTo.strip());
            if (!candidate.isAbsolute() && candidate.getRawAuthority() == null && returnTo.strip().startsWith("/")) {
                candidate = fallbackUri.resolve(candidate);
            }
            candidate = candidate.normalize();
        } catch (IllegalArgumentException e) {
            throw forbidden();
        }
        for (URI entry : allowed) {
            if (sameOrigin(entry, candidate) && pathUnder(entry.getPath(), candidate.getPath())) {
                return candidate.toString();
            }
        }
        throw forbidden();
    }

    /**
     * The origins a browser may be sent to after a form post — Iris's own, the allowed return URLs' and the default
     * return URL's — space-separated, for a page's CSP {@code form-action} (browsers apply it to the redirect that
     * answers the post as well).
     */
    public String formActionSources() {
        return formActionSources;
    }

    /** Where to send a browser after success. */
    public String target(String returnTo) {
        return returnTo != null ? returnTo : fallback;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b)
                && b.getRawUserInfo() == null;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean pathUnder(String prefix, String path) {
        String p = prefix == null || prefix.isEmpty() ? "/" : prefix;
        String c = path == null || path.isEmpty() ? "/" : path;
        return c.contains("..") ? false : p.endsWith("/") ? c.startsWith(p) || (c + "/").equals(p) : c.equals(p)
                || c.startsWith(p + "/");
    }

    private static ApiException forbidden() {
        return new ApiException(400, "self_service_flow_return_to_forbidden",
                "The requested return_to URL is not allowed.");
    }
}
