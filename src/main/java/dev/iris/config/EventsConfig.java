package dev.iris.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code iris.events.*}: webhooks for internal callers. Each named endpoint gets the events it subscribes to, signed
 * the Standard Webhooks way, at least once; none are configured by default (and then no event is even written).
 */
public interface EventsConfig {

    /** The endpoints, by name ({@code iris.events.endpoints.<name>.*}); the name appears in the admin API and metrics. */
    Map<String, Endpoint> endpoints();

    /** A delivery that has not succeeded this long after its event is marked failed (kept, listed, replayable). */
    @WithName("retry-for")
    @WithDefault("24h")
    Duration retryFor();

    /** First delay after a failed attempt; doubles each time up to {@code backoff-max}, with full jitter. */
    @WithName("backoff-initial")
    @WithDefault("5s")
    Duration backoffInitial();

    /** Longest delay between attempts. */
    @WithName("backoff-max")
    @WithDefault("1h")
    Duration backoffMax();

    /** How often each instance looks for due deliveries. */
    @WithName("poll-interval")
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a claimed delivery stays invisible to other instances; longer than an attempt can take. */
    @WithDefault("60s")
    Duration lease();

    /** How long delivered and failed deliveries (and their events) are kept before the janitor deletes them. */
    @WithDefault("7d")
    Duration retention();

    /**
     * login.failed carries the address tried only when this is on (internal receivers that need it, for instance
     * to alert the account's owner); off, it carries the identity id when the address has an account, and no address.
     */
    @WithName("include-address")
    @WithDefault("false")
    boolean includeAddress();

    interface Endpoint {
        /** Where events are POSTed (JSON). */
        String url();

        /**
         * The signing secret, {@code whsec_<base64>} (24 to 64 bytes of key); two, comma-separated, while rotating:
         * each request then carries both signatures.
         */
        List<String> secret();

        /** Event types sent to this endpoint (comma-separated); default every type. */
        Optional<List<String>> events();

        /** Deliveries to this endpoint in flight at once, per instance. */
        @WithName("max-concurrency")
        @WithDefault("4")
        @Min(1)
        int maxConcurrency();

        /** How long one attempt may take before it counts as failed. */
        @WithDefault("10s")
        Duration timeout();
    }
}
