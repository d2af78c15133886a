package dev.iris.ratelimit;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The minimum time between two sends in one flow. The key {@code iris:{flowId}:cooldown} holds the instant the
 * next send is allowed; one Lua script checks and moves it, so two concurrent resends cannot both pass.
 */
@ApplicationScoped
public class ResendCooldown {

    /** KEYS[1]; ARGV now, cooldown, ttl (ms). Returns 0 when started now, else ms still to wait. */
    private static final String ACQUIRE = """
            local now = tonumber(ARGV[1])
            local allowed_at = tonumber(redis.call('GET', KEYS[1]) or '0')
            if allowed_at > now then return allowed_at - now end
            redis.call('SET', KEYS[1], tostring(now + tonumber(ARGV[2])), 'PX', ARGV[3])
            return 0""";

    private final ReactiveRedisDataSource redis;
    private final Clock clock;

    public ResendCooldown(ReactiveRedisDataSource redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** How long until the flow may send again (zero when it may now). Counts nothing. */
    public Uni<Duration> remaining(UUID flowId) {
        return redis.value(String.class).get(key(flowId)).map(value -> value == null ? Duration.ZERO
                : Duration.ofMillis(Math.max(0, Long.parseLong(value) - clock.millis())));
    }

    /** Starts the cooldown if it is over; otherwise returns how long is left (and starts nothing). */
    public Uni<Duration> acquire(UUID flowId, Duration cooldown) {
        long now = clock.millis();
        long ttl = cooldown.toMillis() + Duration.ofHours(1).toMillis();
        return redis.execute("EVAL", ACQUIRE, "1", key(flowId), Long.toString(now),
                        Long.toString(cooldown.toMillis()), Long.toString(ttl))
                .map(response -> Duration.ofMillis(response.toLong()));
    }

    /** When the flow may send again after a send started now. */
    public Instant nextAllowed(Duration cooldown) {
        return clock.instant().plus(cooldown);
    }

    static String key(UUID flowId) {
        return "iris:{" + flowId + "}:cooldown";
    }
}
