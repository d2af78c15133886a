package dev.iris.events;

import dev.iris.config.EventsConfig;
import dev.iris.config.IrisConfig;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configured webhook endpoints, checked when Iris starts: a name of letters, digits, '-' or '_', an absolute
 * http(s) URL, one or two valid {@code whsec_} secrets and known event names — anything else stops the start with
 * a message naming the property.
 */
@Singleton
public class WebhookEndpoints {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** One endpoint, ready to use. */
    public record Endpoint(String name, URI url, WebhookSigner signer, Set<String> events, int maxConcurrency,
                           Duration timeout) {
    }

    private final Map<String, Endpoint> endpoints;

    public WebhookEndpoints(IrisConfig config) {
        Map<String, Endpoint> all = new LinkedHashMap<>();
        config.events().endpoints().forEach((name, endpoint) -> all.put(name, endpoint(name, endpoint)));
        this.endpoints = Collections.unmodifiableMap(all);
    }

    private static Endpoint endpoint(String name, EventsConfig.Endpoint config) {
        String prefix = "iris.events.endpoints." + name + ".";
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("iris.events.endpoints." + name + ": an endpoint name is 1 to 64 "
                    + "letters, digits, '-' or '_'");
        }
        URI url = httpUrl(prefix + "url", config.url());
        WebhookSigner signer;
        try {
            signer = new WebhookSigner(config.secret());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "secret: " + e.getMessage());
        }
        Set<String> events = new LinkedHashSet<>();
        List<String> wanted = config.events().orElse(Arrays.stream(EventType.values()).map(EventType::wire).toList());
        for (String event : wanted) {
            String type = event.strip();
            if (EventType.byWire(type).isEmpty()) {
                throw new IllegalArgumentException(prefix + "events: unknown event '" + type + "' (known: "
                        + Arrays.stream(EventType.values()).map(EventType::wire).collect(Collectors.joining(", ")) + ")");
            }
            events.add(type);
        }
        return new Endpoint(name, url, signer, Collections.unmodifiableSet(events), config.maxConcurrency(),
                config.timeout());
    }

    /**
     * {@code value} as an absolute http(s) URL, or an exception naming {@code property} (also for the pre-hooks' URLs,
     * which are checked the same way).
     */
    public static URI httpUrl(String property, String value) {
        URI url;
        try {
            url = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not a URL");
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException(property + " must be an absolute http(s) URL");
        }
        return url;
    }

    public Map<String, Endpoint> all() {
        return endpoints;
    }

    public Optional<Endpoint> named(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    /** Endpoint name → the event types it wants (what the database's subscriptions must say). */
    public Map<String, Set<String>> subscriptions() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        endpoints.forEach((name, endpoint) -> out.put(name, endpoint.events()));
        return out;
    }
}
