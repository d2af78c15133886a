package dev.iris.ratelimit;

import dev.iris.support.RedisKeys;
import dev.iris.support.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The minimum time between two sends in one flow. The key {@code iris:{flowId}:cooldown}
 * ({@link RedisKeys#resendCooldown}) holds the instant the next send is allowed. One Lua script reads the flow's
 * attempt counter (same hash slot), checks the cooldown and moves it, so two concurrent resends cannot both pass
 * and a send costs one round trip here; a send that a later check refuses puts the cooldown back
 * ({@link #release}).
 */
@Singleton
public class ResendCooldown {

    /**
     * KEYS attempts, cooldown; ARGV max attempts, now, cooldown, ttl (ms). Returns {1} when the flow's attempts are
     * spent (nothing moved), {2, ms still to wait}, or {0, the previous value or 0, the value set}.
     */
    private static final RedisScript ACQUIRE = new RedisScript("""
            if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return {1} end
            local now = tonumber(ARGV[2])
            local previous = redis.call('GET', KEYS[2]) or '0'
            local allowed_at = tonumber(previous)
            if allowed_at > now then return {2, allowed_at - now} end
            local allowed_next = tostring(now + tonumber(ARGV[3]))
            redis.call('SET', KEYS[2], allowed_next, 'PX', ARGV[4])
            return {0, previous, allowed_next}""");

    /** KEYS cooldown; ARGV the value set, the previous value (0: none), ttl (ms). Undoes only its own start. */
    private static final RedisScript RELEASE = new RedisScript("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            if ARGV[2] == '0' then redis.call('DEL', KEYS[1])
            else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
            return 1""");

    private final ReactiveRedisDataSource redis;
    private final Clock clock;

    public ResendCooldown(ReactiveRedisDataSource redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** What {@link #acquire} found: the flow's attempts spent, a wait, or a cooldown started now. */
    public record Start(boolean exhausted, Duration remaining, String previous, String set) {
    }

    /**
     * Unless the flow's attempts ({@code attemptsKey}, which must share the flow's hash tag) reached
     * {@code maxAttempts} or its cooldown is still running, starts the cooldown now.
     */
    public Uni<Start> acquire(UUID flowId, String attemptsKey, long maxAttempts, Duration cooldown) {
        long now = clock.millis();
        return ACQUIRE.run(redis.getRedis(), List.of(attemptsKey, RedisKeys.resendCooldown(flowId)), Long.toString(maxAttempts),
                        Long.toString(now), Long.toString(cooldown.toMillis()), Long.toString(ttl(cooldown)))
                .map(ResendCooldown::start);
    }

    /** Puts back what {@code start} replaced, unless another send has moved the cooldown since. */
    public Uni<Void> release(UUID flowId, Start start, Duration cooldown) {
        return RELEASE.run(redis.getRedis(), List.of(RedisKeys.resendCooldown(flowId)), start.set(), start.previous(),
                Long.toString(ttl(cooldown))).replaceWithVoid();
    }

    /** When the flow may send again after a send started now. */
    public Instant nextAllowed(Duration cooldown) {
        return clock.instant().plus(cooldown);
    }

    private static Start start(Response reply) {
        return switch (reply.get(0).toInteger()) {
            case 1 -> new Start(true, Duration.ZERO, null, null);
            case 2 -> new Start(false, Duration.ofMillis(reply.get(1).toLong()), null, null);
            default -> new Start(false, Duration.ZERO, reply.get(1).toString(), reply.get(2).toString());
        };
    }

    private static long ttl(Duration cooldown) {
        return cooldown.toMillis() + Duration.ofHours(1).toMillis();
    }
}
