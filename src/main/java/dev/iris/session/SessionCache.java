package dev.iris.session;

import dev.iris.config.IrisConfig;
import dev.iris.support.RedisKeys;
import dev.iris.support.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Redis copy of active sessions, keyed by the token hash, holding the ready-to-send whoami JSON so the hot
 * path is one GET. Postgres stays the source of truth: a miss re-reads it.
 *
 * <p>A key holds one of three values: an {@link Entry}; a <em>tombstone</em> ({@code revoked}) left by every
 * revocation, which whoami refuses without asking Postgres; or an <em>invalidation mark</em>
 * ({@code stale:<nonce>}) left when a still-valid session's cached verdict changed (its identity's second
 * factors), which whoami treats as a miss. A refill (whoami after a miss, an extension, a new session) writes only
 * if the key still holds exactly what the refill saw before it read Postgres ({@link #refill}, one script), so a
 * refill that read a session as active before a revocation can never overwrite the tombstone, nor a stale
 * verdict the mark that replaced it. Tombstones and marks live as long as an entry may ({@code cache-ttl}); a
 * refill slower than half of that does not write at all ({@link #refillWindow}), so none can outlive them.
 *
 * <p>In front of it, each instance's {@link NearSessionCache}; every revocation and invalidation here is announced
 * on the invalidation channel ({@link SessionInvalidations}) once Redis has it.
 */
@Singleton
public class SessionCache {

    static final String TOMBSTONE = "revoked";
    private static final String MARK = "stale:";

    /** Writes ARGV[2] for ARGV[3] ms only while the key still holds ARGV[1] ("" for absent); 1 when written. */
    private static final RedisScript REFILL = new RedisScript("""
            local current = redis.call('GET', KEYS[1])
            if (current or '') ~= ARGV[1] then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """);

    /** Replaces anything but a tombstone with the mark ARGV[1] for ARGV[2] ms. */
    private static final RedisScript INVALIDATE = new RedisScript("""
            if redis.call('GET', KEYS[1]) == 'revoked' then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """);

    private final ReactiveRedisDataSource redis;
    private final NearSessionCache near;
    private final SessionInvalidations invalidations;
    private final Duration ttl;

    public SessionCache(ReactiveRedisDataSource redis, NearSessionCache near, SessionInvalidations invalidations,
                        IrisConfig config) {
        this.redis = redis;
        this.near = near;
        this.invalidations = invalidations;
        this.ttl = config.session().cacheTtl();
    }

    /**
     * A cached session: enough to answer whoami without touching Postgres. {@code aal2Missing}: the session is
     * AAL1 while its identity has a second factor (whoami may refuse it, depending on config).
     */
    public record Entry(Instant expiresAt, UUID identityId, UUID sessionId, boolean aal2Missing, String json) {

        String encode() {
            return expiresAt.toEpochMilli() + "|" + identityId + "|" + sessionId + "|" + (aal2Missing ? '2' : '1')
                    + "|" + json;
        }

        /** The entry, or null for a value this version cannot read (treated as a miss: Postgres answers). */
        static Entry decode(String raw) {
            int first = raw.indexOf('|');
            int second = raw.indexOf('|', first + 1);
            int third = raw.indexOf('|', second + 1);
            if (first < 0 || second < 0 || third < 0 || raw.length() < third + 3 || raw.charAt(third + 2) != '|') {
                return null;
            }
            return new Entry(Instant.ofEpochMilli(Long.parseLong(raw, 0, first, 10)),
                    UUID.fromString(raw.substring(first + 1, second)),
                    UUID.fromString(raw.substring(second + 1, third)), raw.charAt(third + 1) == '2',
                    raw.substring(third + 3));
        }
    }

    /**
     * What the cache holds for a token: an entry (a hit), a tombstone ({@code revoked}), or neither (a miss).
     * {@code seen} is the raw value read ("" when absent): a refill after this lookup writes only over it.
     */
    public record Lookup(Entry entry, boolean revoked, String seen) {

        static final Lookup ABSENT = new Lookup(null, false, "");

        static Lookup of(String raw) {
            if (raw == null) {
                return ABSENT;
            }
            if (TOMBSTONE.equals(raw)) {
                return new Lookup(null, true, raw);
            }
            return new Lookup(raw.startsWith(MARK) ? null : Entry.decode(raw), false, raw);
        }
    }

    /**
     * The hot path of whoami: process memory first ({@link NearSessionCache}), else the plain client, one GET, no
     * codec layers — kept in memory only if no invalidation arrived while the GET was in flight.
     */
    public Uni<Lookup> get(byte[] tokenHash) {
        String key = key(tokenHash);
        Lookup held = near.get(key);
        if (held != null) {
            return Uni.createFrom().item(held);
        }
        long readAt = near.generation();
        return redis.getRedis().send(Request.cmd(Command.GET).arg(key))
                .map(response -> {
                    Lookup found = Lookup.of(response == null ? null : response.toString());
                    near.keep(key, found, readAt);
                    return found;
                });
    }

    /**
     * Writes {@code entry} for {@code ttl} only while the key still holds {@code seen} (what the caller found
     * before it read Postgres; "" for absent, as for a token just issued). True when written.
     */
    public Uni<Boolean> refill(byte[] tokenHash, String seen, Entry entry, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            return Uni.createFrom().item(false);
        }
        return REFILL.run(redis(), key(tokenHash), seen, entry.encode(), Long.toString(Math.max(1, ttl.toMillis())))
                .map(response -> response != null && response.toInteger() == 1)
                .invoke(written -> {
                    if (written) {
                        // This instance's memory re-reads it (a new expiry); others hold the old one ≤ near-cache ttl.
                        near.drop(key(tokenHash));
                    }
                });
    }

    /** How long a refill may take from its lookup to its write; a slower one must not write. */
    public Duration refillWindow() {
        return ttl.dividedBy(2);
    }

    /**
     * Claims the right to extend this session's expiry for {@code interval}: SET NX, so of all instances and
     * requests only one writes to Postgres per interval.
     */
    public Uni<Boolean> claimRefresh(byte[] tokenHash, Duration interval) {
        return redis.execute("SET", RedisKeys.sessionRefresh(tokenHash), "1", "NX", "PX",
                        Long.toString(Math.max(1, interval.toMillis())))
                .map(response -> response != null);
    }

    /**
     * After a revocation committed in Postgres: the token is refused by every instance at once, and no refill
     * that read the session before the revocation can cache it again (the tombstone outlives any such refill).
     */
    public Uni<Void> revoke(byte[] tokenHash) {
        return redis.execute("SET", key(tokenHash), TOMBSTONE, "PX", Long.toString(ttl.toMillis()))
                .call(() -> announced(tokenHash))
                .replaceWithVoid();
    }

    /** {@link #revoke} for several tokens; one command per key, so it also works on Redis Cluster. */
    public Uni<Void> revokeAll(List<byte[]> tokenHashes) {
        return forEach(tokenHashes, this::revoke);
    }

    /**
     * After a change that leaves the session valid but alters its cached verdict (its identity's second
     * factors): the next whoami re-reads Postgres, and a refill that read the old state cannot write it back.
     * A tombstone stays.
     */
    public Uni<Void> invalidate(byte[] tokenHash) {
        return INVALIDATE.run(redis(), key(tokenHash), MARK + UUID.randomUUID(), Long.toString(ttl.toMillis()))
                .call(() -> announced(tokenHash))
                .replaceWithVoid();
    }

    /**
     * After the write: this instance drops the token from memory, and every other instance is told to. The Redis
     * write is done, so a lost announcement costs at most the near cache's ttl on instances whose channel looked
     * healthy; it does not fail the revocation.
     */
    private Uni<Void> announced(byte[] tokenHash) {
        String key = key(tokenHash);
        near.drop(key);
        return invalidations.publish(key).onFailure().recoverWithNull();
    }

    public Uni<Void> invalidateAll(List<byte[]> tokenHashes) {
        return forEach(tokenHashes, this::invalidate);
    }

    private static Uni<Void> forEach(List<byte[]> tokenHashes, Function<byte[], Uni<Void>> action) {
        if (tokenHashes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(tokenHashes.stream().map(action).toList()).andFailFast().replaceWithVoid();
    }

    private Redis redis() {
        return redis.getRedis();
    }

    private static String key(byte[] tokenHash) {
        return RedisKeys.session(tokenHash);
    }
}
