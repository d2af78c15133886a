package dev.iris.ratelimit;

import dev.iris.config.Quota;
import dev.iris.support.RedisScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sliding-window counters in Redis: a sorted set of event times per key, trimmed and counted atomically by
 * one Lua script, so every instance shares one exact count. Keys carry one hash tag each, so they work
 * unchanged on Redis Cluster, and expire one window after their last event. Times come from the injected
 * clock (the caller's), not Redis's, so windows are testable.
 */
@Singleton
public class SlidingWindow {

    /** KEYS[1] counter; ARGV now, window, limit, member, add(1|0). Returns {allowed(1|0), retry-after ms}. */
    private static final RedisScript SCRIPT = new RedisScript("""
            local key = KEYS[1]
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local limit = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
            local count = redis.call('ZCARD', key)
            if count >= limit then
              local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
              return {0, tonumber(oldest[2]) + window - now}
            end
            if ARGV[5] == '1' then
              redis.call('ZADD', key, now, ARGV[4])
              redis.call('PEXPIRE', key, window)
            end
            return {1, 0}""");

    /** KEYS[1] counter; ARGV now, window, member: records one event. */
    private static final RedisScript RECORD = new RedisScript("""
            redis.call('ZADD', KEYS[1], tonumber(ARGV[1]), ARGV[3])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
            return 1""");

    private final ReactiveRedisDataSource redis;
    private final Clock clock;

    public SlidingWindow(ReactiveRedisDataSource redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Whether one more event fits, and if not, when it will. */
    public record Verdict(boolean allowed, Duration retryAfter) {
    }

    /** Counts one event if it fits the quota (nothing is counted when it does not). */
    public Uni<Verdict> tryAcquire(String key, Quota quota) {
        return run(key, quota, true);
    }

    /**
     * Counts one event if it fits the quota, atomically (the same script as {@link #tryAcquire}), and returns it so
     * that it can be given back ({@link #release}); {@code null} when the quota is spent (nothing counted). For
     * budgets that must be charged before the outcome is known and refunded when it turns out well.
     */
    public Uni<Slot> reserve(String key, Quota quota) {
        long now = clock.millis();
        String member = member(now);
        return run(key, quota, now, member, true).map(verdict -> verdict.allowed() ? new Slot(key, member) : null);
    }

    /** Gives back an event {@link #reserve} counted (a no-op once it has left the window). */
    public Uni<Void> release(Slot slot) {
        return redis.sortedSet(String.class).zrem(slot.key(), slot.member()).replaceWithVoid();
    }

    /** One counted event of {@link #reserve}: the counter and the event's member in it. */
    public record Slot(String key, String member) {
    }

    /** Whether the quota still has room, without counting anything. */
    public Uni<Verdict> check(String key, Quota quota) {
        return run(key, quota, false);
    }

    /** Counts one event unconditionally (failures are facts, whatever the quota). */
    public Uni<Void> record(String key, Quota quota) {
        long now = clock.millis();
        return RECORD.run(redis.getRedis(), key, Long.toString(now), Long.toString(quota.window().toMillis()),
                member(now)).replaceWithVoid();
    }

    private Uni<Verdict> run(String key, Quota quota, boolean add) {
        long now = clock.millis();
        return run(key, quota, now, member(now), add);
    }

    private Uni<Verdict> run(String key, Quota quota, long now, String member, boolean add) {
        return SCRIPT.run(redis.getRedis(), key, Long.toString(now), Long.toString(quota.window().toMillis()),
                Integer.toString(quota.limit()), member, add ? "1" : "0").map(SlidingWindow::verdict);
    }

    private static Verdict verdict(Response response) {
        return new Verdict(response.get(0).toLong() == 1, Duration.ofMillis(Math.max(0, response.get(1).toLong())));
    }

    private static String member(long now) {
        return now + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
