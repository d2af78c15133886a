package dev.iris.session;

import dev.iris.config.IrisConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-memory copy of {@link SessionCache} lookups, so most whoami calls need no Redis round trip. Safe by
 * construction rather than by timing:
 * <ul>
 *   <li>it serves only while its channel is <em>fenced</em>: a self-ping this instance sent less than
 *   {@code ack-timeout} ago has come back through the subscription ({@link #proven}), so every invalidation published
 *   before that ping has been read; a revocation that cannot count its acknowledgements waits that long;</li>
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

    /** An entry (its JSON once: the raw Redis value is re-encoded only when a refill needs it) or a tombstone. */
    private record Held(SessionCache.Lookup lookup, long until) {
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final boolean enabled;
    private final long ttlNanos;
    private final int maxEntries;
    private final long fenceNanos;
    private volatile boolean online;
    /** When (nanoTime) the newest self-ping that came back was sent: the channel is proven up to then. */
    private volatile long provenUpTo;

    private final Counter hits;

    @Inject
    public NearSessionCache(IrisConfig config, MeterRegistry metrics) {
        this(config.session().nearCache().enabled() && !clustered(), config.session().nearCache().ttl(),
                config.session().nearCache().maxEntries(), config.session().nearCache().ackTimeout(), metrics);
    }

    NearSessionCache(boolean enabled, Duration ttl, int maxEntries, Duration fence, MeterRegistry metrics) {
        this.enabled = enabled;
        this.fenceNanos = fence.toNanos();
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.hits = metrics.counter("iris.session.near_cache.hits");
        metrics.gauge("iris.session.near_cache.entries", held, ConcurrentHashMap::size);
        metrics.gauge("iris.session.near_cache.serving", this, cache -> cache.serving() ? 1 : 0);
    }

    /** Whether it is configured on (it may still be offline). */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Redis Cluster delivers messages published on different nodes in no guaranteed order, so a self-ping could
     * overtake an invalidation and the fence below would prove nothing: on a cluster the near cache stays off.
     */
    private static boolean clustered() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                .map("cluster"::equalsIgnoreCase).orElse(false);
    }

    /**
     * The lookup held for {@code key}, or null (not held, expired, offline, or fenced: no self-ping sent within the
     * fence has come back, so an invalidation published just before now may not have been read yet).
     */
    SessionCache.Lookup get(String key) {
        if (!online || System.nanoTime() - provenUpTo > fenceNanos) {
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
        if (!enabled || !online || (lookup.entry() == null && !lookup.revoked())) {
            return;
        }
        if (held.size() >= maxEntries) {
            return; // full until the next purge
        }
        // The session's own expiry is checked on every hit by SessionService, as for a Redis hit. The raw value is
        // not kept (the JSON would be held twice); a refill after a hit re-encodes it from the entry.
        SessionCache.Lookup kept = lookup.revoked() ? lookup : new SessionCache.Lookup(lookup.entry(), false, null);
        Held value = new Held(kept, System.nanoTime() + ttlNanos);
        held.put(key, value);
        if (generation.get() != readAt) {
            // An invalidation arrived while the read was in flight (or just now): what it read may be stale.
            held.remove(key, value);
        }
    }

    /**
     * A self-ping sent at {@code sentAt} (nanoTime) came back: every message Redis handled before it — every
     * invalidation published before {@code sentAt} — has been read by now (one connection, delivered in order).
     */
    void proven(long sentAt) {
        if (sentAt - provenUpTo > 0) {
            provenUpTo = sentAt;
        }
    }

    /** Removes the entries whose time is up (about once a second, from the heartbeat). */
    void purgeExpired() {
        long now = System.nanoTime();
        held.values().removeIf(found -> now - found.until() > 0);
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

    /** Whether it serves now: online, and the channel proven within the fence. */
    public boolean serving() {
        return online && System.nanoTime() - provenUpTo <= fenceNanos;
    }

    /** How many entries it holds now (for metrics). */
    public int size() {
        return held.size();
    }
}
