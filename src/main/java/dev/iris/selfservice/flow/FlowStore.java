package dev.iris.selfservice.flow;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import dev.iris.support.RedisScript;
import dev.iris.support.Unavailable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;

import dev.iris.support.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.UUID;

/**
 * Flows and their attempt counters in Redis. Keys share the hash tag {@code {flowId}} so both live in one
 * Cluster slot; every key expires on its own ({@link #GRACE} after the flow, so an expired flow answers 410
 * rather than 404 for a while).
 */
@Singleton
public class FlowStore {

    static final Duration GRACE = Duration.ofHours(1);

    /** INCR that sets the expiry on first use, atomically: the counter can never outlive the flow. */
    private static final RedisScript INCR_WITH_EXPIRY = new RedisScript("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
            return n""");

    private final ReactiveRedisDataSource redis;
    private final FlowJson json;
    private final Clock clock;

    public FlowStore(ReactiveRedisDataSource redis, FlowJson json, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The flow {@code id} when it exists and {@code belongs} (its kind; its identity): 404 otherwise. Past its
     * lifespan it answers 410 naming the flow that {@code replacement} makes in its place (Kratos's
     * {@code use_flow_id}: the same kind and type, for the same browser or identity).
     */
    public Uni<Flow> live(UUID id, Predicate<Flow> belongs, Function<Flow, Uni<Flow>> replacement) {
        return find(id)
                .invoke(flow -> {
                    if (flow == null || !belongs.test(flow)) {
                        throw ApiException.notFound("The requested flow could not be found.");
                    }
                })
                .chain(flow -> flow.expiredAt(clock.instant())
                        ? replacement.apply(flow).chain(fresh -> Uni.createFrom().failure(
                                FlowExpired.of(flow, fresh.id(), clock.instant())))
                        : Uni.createFrom().item(flow));
    }

    public Uni<Flow> save(Flow flow) {
        long expireAt = flow.expiresAt().plus(GRACE).toEpochMilli();
        return unavailable(redis.getRedis().send(Request.cmd(Command.SET).arg(flowKey(flow.id())).arg(json.write(flow))
                .arg("PXAT").arg(expireAt)).replaceWith(flow));
    }

    /** The flow, or {@code null} when Redis has never seen it (or it is long gone). */
    public Uni<Flow> find(UUID id) {
        return unavailable(get(flowKey(id)).map(raw -> raw == null ? null : json.read(raw)));
    }

    /** Counts one more submission in the flow and returns the new total. */
    public Uni<Long> countAttempt(Flow flow) {
        long expireAt = flow.expiresAt().plus(GRACE).toEpochMilli();
        return unavailable(INCR_WITH_EXPIRY.run(redis.getRedis(), attemptsKey(flow.id()), Long.toString(expireAt))
                .map(response -> response.toLong()));
    }

    /** A plain GET on the low-level client: the flow is read on every flow request (no codec layers). */
    private Uni<String> get(String key) {
        return redis.getRedis().send(Request.cmd(Command.GET).arg(key))
                .map(response -> response == null ? null : response.toString());
    }

    private static <T> Uni<T> unavailable(Uni<T> work) {
        return Unavailable.redis(work, "flow_store_unavailable",
                "Flows are kept in Redis, which is unavailable right now; retry shortly.");
    }

    static String flowKey(UUID id) {
        return dev.iris.support.RedisKeys.flow(id);
    }

    /** The flow's attempt counter; it shares the flow's hash tag, so scripts may read it with the flow's other keys. */
    public static String attemptsKey(UUID id) {
        return dev.iris.support.RedisKeys.flowAttempts(id);
    }
}
