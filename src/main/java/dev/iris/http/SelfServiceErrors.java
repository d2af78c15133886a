package dev.iris.http;

import dev.iris.support.ApiException;
import dev.iris.support.RedisKeys;
import dev.iris.support.Unavailable;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Errors a browser is sent to the UI's error page with, kept for an hour under a random id, as Kratos keeps them:
 * the page reads {@code GET /self-service/errors?id=} (Kratos's shape: {@code id}, {@code error}, timestamps).
 * They hold only what the error JSON says anyway — no secret, no address.
 */
@Singleton
public class SelfServiceErrors {

    static final Duration KEPT = Duration.ofHours(1);

    private final ReactiveRedisDataSource redis;
    private final Clock clock;

    public SelfServiceErrors(ReactiveRedisDataSource redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** Keeps {@code failure} and answers its id. */
    public Uni<UUID> keep(ApiException failure) {
        UUID id = UUID.randomUUID();
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", id.toString());
        stored.put("error", ErrorBody.of(failure).get("error"));
        stored.put("created_at", clock.instant().toString());
        stored.put("updated_at", clock.instant().toString());
        return unavailable(redis.getRedis().send(Request.cmd(Command.SET).arg(RedisKeys.selfServiceError(id))
                .arg(Json.encode(stored)).arg("PX").arg(KEPT.toMillis())).replaceWith(id));
    }

    /** The kept error as JSON, or 404 when unknown or older than an hour. */
    public Uni<String> find(UUID id) {
        return unavailable(redis.getRedis().send(Request.cmd(Command.GET).arg(RedisKeys.selfServiceError(id))))
                .map(found -> {
                    if (found == null) {
                        throw ApiException.notFound("The requested error could not be found.");
                    }
                    return found.toString();
                });
    }

    private static <T> Uni<T> unavailable(Uni<T> work) {
        return Unavailable.redis(work, "error_store_unavailable",
                "Errors are kept in Redis, which is unavailable right now; retry shortly.");
    }
}
