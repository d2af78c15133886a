package dev.iris.session;

import dev.iris.config.IrisConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-memory copy of {@link SessionCache} lookups, so most whoami calls need no Redis round trip. Safe by
 * construction rather than by timing:
 * <ul>
 *   <li>it serves only while {@link SessionInvalidations} knows the invalidation channel works ({@link #online});
 *   going offline empties it, and coming back online empties it again before anything is kept;</li>
 *   <li>every invalidation (a message from any instance, or this instance's own revoke) moves the
 *   {@link #generation}; a Redis read keeps its answer only if the generation did not move while it was in flight,
 *   so an answer read before a revocation can never be kept after the revocation's message;</li>
 *   <li>an entry lives at most {@code iris.session.near-cache.ttl} even if a message is lost (the session's own
 *   expiry is checked on every hit, as for a Redis hit); only entries and tombstones are kept (a revoked token
 *   stays revoked).</li>
 * </ul>
 */
@Singleton
public class NearSessionCache {

    private record Held(SessionCache.Lookup lookup, long until) {
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final boolean enabled;
    private final long ttlNanos;
    private final int maxEntries;
    private volatile boolean online;

    private final Counter hits;

    @Inject
    public NearSessionCache(IrisConfig config, MeterRegistry metrics) {
        this(config.session().nearCache().enabled(), config.session().nearCache().ttl(),
                config.session().nearCache().maxEntries(), metrics);
    }

    NearSessionCache(boolean enabled, Duration ttl, int maxEntries, MeterRegistry metrics) {
        this.enabled = enabled;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.hits = metrics.counter("iris.session.near_cache.hits");
        metrics.gauge("iris.session.near_cache.entries", held, ConcurrentHashMap::size);
        metrics.gauge("iris.session.near_cache.serving", this, cache -> cache.online ? 1 : 0);
    }

    /** Whether it is configured on (it may still be offline). */
    public boolean enabled() {
        return enabled;
    }

    /** The lookup held for {@code key}, or null (not held, expired, or offline). */
    SessionCache.Lookup get(String key) {
        if (!online) {
            return null;
        }
        Held found = held.get(key);
        if (found == null) {
            return null;
        }
        if (System.nanoTime() - found.until() > 0) {
            held.remove(key, found);
            return null;
        }
        hits.increment();
        return found.lookup();
    }

    /** The generation to pass to {@link #keep} after a Redis read that starts now. */
    long generation() {
        return generation.get();
    }

    /**
     * Keeps what a Redis read that started at {@code readAt} found, unless anything was invalidated meanwhile (or
     * the cache is offline, full, or the value is neither an entry nor a tombstone).
     */
    void keep(String key, SessionCache.Lookup lookup, long readAt) {
        if (!enabled || !online || (lookup.entry() == null && !lookup.revoked()) || held.size() >= maxEntries) {
            return;
        }
        // The session's own expiry is checked on every hit by SessionService, as for a Redis hit.
        Held value = new Held(lookup, System.nanoTime() + ttlNanos);
        held.put(key, value);
        if (generation.get() != readAt) {
            // An invalidation arrived while the read was in flight (or just now): what it read may be stale.
            held.remove(key, value);
        }
    }

    /** An invalidation of {@code key} (from any instance): dropped here. */
    void drop(String key) {
        generation.incrementAndGet();
        held.remove(key);
    }

    /** The channel works (true) or is not known to (false); either way, nothing held before is kept. */
    void online(boolean working) {
        generation.incrementAndGet();
        online = enabled && working;
        held.clear();
    }

    /** Whether it serves now. */
    public boolean serving() {
        return online;
    }

    /** How many entries it holds now (for metrics). */
    public int size() {
        return held.size();
    }
}
