package dev.iris.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code iris.webauthn.*}: passkeys and security keys (WebAuthn). The relying party is Iris's public host by default; the origins a
 * ceremony may come from are Iris's public URL and the UI's base URL (a Kratos UI on another origin).
 */
public interface WebAuthnConfig {

    /**
     * Passkeys and security keys on (default): login and registration flows offer a passkey, settings add and remove
     * passkeys and security keys, the aal2 step accepts a security key. Off: none of their nodes, and their posts are
     * refused as an unknown method (stored credentials are kept, unused).
     */
    @WithName("enabled")
    @WithDefault("true")
    boolean enabled();

    /** The relying party id (a registrable domain suffix of every origin). Default: the host of {@code iris.public-url}. */
    @WithName("rp-id")
    Optional<String> rpId();

    /** Origins a ceremony may come from. Default: the origins of {@code iris.public-url} and {@code iris.ui.base-url}. */
    @WithName("origins")
    Optional<List<String>> origins();

    /** The name authenticators show for Iris. Default: {@code iris.mail.app-name}. */
    @WithName("rp-display-name")
    Optional<String> rpDisplayName();

    /** The rp id in effect. */
    default String rpIdFor(String publicUrl) {
        return rpId().orElse(URI.create(publicUrl).getHost());
    }

    /** The origins in effect (scheme://host[:port], no path). */
    default Set<String> originsFor(String publicUrl, String uiBaseUrl) {
        Set<String> origins = new LinkedHashSet<>();
        for (String url : origins().orElse(List.of(publicUrl, uiBaseUrl))) {
            URI uri = URI.create(url);
            origins.add(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        }
        return origins;
    }
}
