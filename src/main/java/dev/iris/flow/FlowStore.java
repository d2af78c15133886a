package dev.iris.flow;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import dev.iris.support.StoredJson;
import dev.iris.support.Unavailable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;

/**
 * Flows and their attempt counters in Redis. Keys share the hash tag {@code {flowId}} so both live in one
 * Cluster slot; every key expires on its own ({@link #GRACE} after the flow, so an expired flow answers 410
 * rather than 404 for a while).
 */
@ApplicationScoped
public class FlowStore {

    static final Duration GRACE = Duration.ofHours(1);

    /** INCR that sets the expiry on first use, atomically: the counter can never outlive the flow. */
    private static final String INCR_WITH_EXPIRY = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
            return n""";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final StoredJson json;

    public FlowStore(ReactiveRedisDataSource redis, StoredJson json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.json = json;
    }

    public Uni<Flow> save(Flow flow) {
        long expireAt = flow.expiresAt().plus(GRACE).toEpochMilli();
        return unavailable(values.set(flowKey(flow.id()), json.write(flow), new SetArgs().pxAt(expireAt)).replaceWith(flow));
    }

    /** The flow, or {@code null} when Redis has never seen it (or it is long gone). */
    public Uni<Flow> find(UUID id) {
        return unavailable(values.get(flowKey(id)).map(raw -> raw == null ? null : json.read(raw, Flow.class)));
    }

    /** Counts one more submission in the flow and returns the new total. */
    public Uni<Long> countAttempt(Flow flow) {
        long expireAt = flow.expiresAt().plus(GRACE).toEpochMilli();
        return unavailable(redis.execute("EVAL", INCR_WITH_EXPIRY, "1", attemptsKey(flow.id()),
                Long.toString(expireAt)).map(response -> response.toLong()));
    }

    /** Submissions counted so far in the flow. */
    public Uni<Long> attempts(Flow flow) {
        return unavailable(values.get(attemptsKey(flow.id())).map(raw -> raw == null ? 0L : Long.parseLong(raw)));
    }

    private static <T> Uni<T> unavailable(Uni<T> work) {
        return Unavailable.redis(work, "flow_store_unavailable",
                "Flows are kept in Redis, which is unavailable right now; retry shortly.");
    }

    static String flowKey(UUID id) {
        return "iris:{" + id + "}:flow";
    }

    static String attemptsKey(UUID id) {
        return "iris:{" + id + "}:attempts";
    }
}
