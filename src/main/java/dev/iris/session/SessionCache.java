package dev.iris.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Redis copy of active sessions, keyed by the token hash, holding the ready-to-send whoami JSON so the hot
 * path is one GET. Postgres stays the source of truth: a miss re-reads it, and revocation deletes the entry
 * (every instance reads the same Redis, so a revoked session is refused everywhere at once).
 */
@Singleton
public class SessionCache {

    private static final String PREFIX = "iris:session:";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;

    public SessionCache(ReactiveRedisDataSource redis) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.keys = redis.key();
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

    /** The hot path of whoami: the plain client, one GET, no codec layers. */
    public Uni<Entry> get(byte[] tokenHash) {
        return redis.getRedis().send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.GET)
                        .arg(key(tokenHash)))
                .map(response -> response == null ? null : Entry.decode(response.toString()));
    }

    public Uni<Void> put(byte[] tokenHash, Entry entry, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return values.set(key(tokenHash), entry.encode(), new SetArgs().px(ttl));
    }

    /**
     * Claims the right to extend this session's expiry for {@code interval}: SET NX, so of all instances and
     * requests only one writes to Postgres per interval.
     */
    public Uni<Boolean> claimRefresh(byte[] tokenHash, Duration interval) {
        return redis.execute("SET", key(tokenHash) + ":refresh", "1", "NX", "PX",
                        Long.toString(Math.max(1, interval.toMillis())))
                .map(response -> response != null);
    }

    public Uni<Void> evict(byte[] tokenHash) {
        return keys.del(key(tokenHash)).replaceWithVoid();
    }

    /** One DEL per key, so it also works on Redis Cluster where the keys live in different slots. */
    public Uni<Void> evictAll(List<byte[]> tokenHashes) {
        if (tokenHashes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(tokenHashes.stream().map(this::evict).toList()).andFailFast().replaceWithVoid();
    }

    private static String key(byte[] tokenHash) {
        return PREFIX + HexFormat.of().formatHex(tokenHash);
    }
}
