package dev.iris.events;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Owns {@code event_subscriptions}, {@code events} and {@code webhook_deliveries}. Events are written by the
 * triggers of V6_22__events.sql in the transactions of the changes they describe (and by {@link #emit} for the few
 * that change nothing, such as a failed sign-in); this class keeps the subscriptions, claims and settles
 * deliveries, and answers the admin API.
 *
 * <p>A claim pushes {@code next_attempt_at} one lease ahead under {@code FOR UPDATE SKIP LOCKED}: instances never
 * hold the same delivery at once, and one whose instance died becomes due again when the lease ends (at least
 * once). Times come from the database clock.
 */
@Singleton
public class WebhookStore {

    private static final String CLAIM = """
            UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $3), attempts = attempts + 1
            FROM events e
            WHERE e.id = d.event_id AND d.id IN (
                SELECT id FROM webhook_deliveries WHERE endpoint = $1 AND status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.event_id, e.type, e.occurred_at, e.data::text AS data, d.attempts, d.created_at""";

    private static final String LISTED = """
            SELECT d.id, d.event_id, e.type, e.occurred_at, d.status, d.attempts, d.next_attempt_at, d.created_at,
                   d.settled_at, d.last_status, d.last_error
            FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.endpoint = $1 AND ($2::text IS NULL OR d.status = $2) ORDER BY d.created_at DESC LIMIT $3""";

    private final Pool pool;

    public WebhookStore(Pool pool) {
        this.pool = pool;
    }

    /** A claimed delivery with its event. */
    public record Claimed(UUID id, UUID eventId, String type, Instant occurredAt, String data, int attempts,
                          Instant createdAt) {
    }

    /** One delivery as the admin API lists it. */
    public record Listed(UUID id, UUID eventId, String type, Instant occurredAt, String status, int attempts,
                         Instant nextAttemptAt, Instant createdAt, Instant settledAt, Integer lastStatus,
                         String lastError) {
    }

    /** Replaces the subscriptions with {@code wanted} (endpoint → event types), in one transaction. */
    public Uni<Void> subscribe(Map<String, Set<String>> wanted) {
        List<String> types = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        wanted.forEach((endpoint, set) -> set.forEach(type -> {
            types.add(type);
            endpoints.add(endpoint);
        }));
        return pool.withTransaction(connection -> connection.query("DELETE FROM event_subscriptions").execute()
                .chain(() -> connection.preparedQuery("INSERT INTO event_subscriptions (type, endpoint) "
                                + "SELECT * FROM unnest($1::text[], $2::text[])")
                        .execute(Tuple.of(types.toArray(String[]::new), endpoints.toArray(String[]::new)))))
                .replaceWithVoid();
    }

    /** An event that no table change carries (login.failed): written alone, for every subscribed endpoint. */
    public Uni<Void> emit(String type, JsonObject data) {
        return pool.preparedQuery("SELECT iris_emit($1, $2::jsonb)").execute(Tuple.of(type, data))
                .replaceWithVoid();
    }

    /** A test event for one endpoint only (admin API); its id. */
    public Uni<UUID> emitTo(String endpoint, String type, JsonObject data) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "INSERT INTO events (id, type, occurred_at, data) VALUES ($1, $2, clock_timestamp(), $3::jsonb)")
                .execute(Tuple.of(id, type, data))
                .chain(() -> connection.preparedQuery("INSERT INTO webhook_deliveries (id, event_id, endpoint, "
                                + "next_attempt_at, created_at) VALUES ($1, $2, $3, 'epoch', clock_timestamp())")
                        .execute(Tuple.of(UUID.randomUUID(), id, endpoint))))
                .replaceWith(id);
    }

    public Uni<List<Claimed>> claim(String endpoint, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(endpoint, limit, lease.toMillis() / 1000.0))
                .map(rows -> map(rows, row -> new Claimed(row.getUUID("id"), row.getUUID("event_id"),
                        row.getString("type"), instant(row, "occurred_at"), row.getString("data"),
                        row.getInteger("attempts"), instant(row, "created_at"))));
    }

    /** The endpoint took it (2xx). */
    public Uni<Void> delivered(UUID id, int status) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'delivered', settled_at = now(), "
                + "last_status = $2, last_error = NULL WHERE id = $1").execute(Tuple.of(id, status)).replaceWithVoid();
    }

    /** An attempt failed; the next one is due after {@code delay}. */
    public Uni<Void> retryLater(UUID id, Integer status, String error, Duration delay) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $4), "
                        + "last_status = $2, last_error = $3 WHERE id = $1")
                .execute(Tuple.of(id, status, error, delay.toMillis() / 1000.0)).replaceWithVoid();
    }

    /** Out of time: kept as failed, listed and replayable. */
    public Uni<Void> failed(UUID id, Integer status, String error) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'failed', settled_at = now(), "
                        + "last_status = $2, last_error = $3 WHERE id = $1")
                .execute(Tuple.of(id, status, error)).replaceWithVoid();
    }

    public Uni<List<Listed>> list(String endpoint, Optional<String> status, int limit) {
        return pool.preparedQuery(LISTED).execute(Tuple.of(endpoint, status.orElse(null), limit))
                .map(rows -> map(rows, row -> new Listed(row.getUUID("id"), row.getUUID("event_id"),
                        row.getString("type"), instant(row, "occurred_at"), row.getString("status"),
                        row.getInteger("attempts"), instant(row, "next_attempt_at"), instant(row, "created_at"),
                        instant(row, "settled_at"), row.getInteger("last_status"), row.getString("last_error"))));
    }

    /** Makes a delivery of the endpoint due again at once, whatever its state; false when there is none. */
    public Uni<Boolean> replay(String endpoint, UUID id) {
        return pool.preparedQuery("UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), "
                        + "settled_at = NULL WHERE id = $1 AND endpoint = $2")
                .execute(Tuple.of(id, endpoint)).map(rows -> rows.rowCount() == 1);
    }

    /** Pending deliveries per endpoint (the queue-depth gauge). */
    public Uni<Map<String, Long>> depth() {
        return pool.query("SELECT endpoint, count(*) AS n FROM webhook_deliveries WHERE status = 'pending' "
                        + "GROUP BY endpoint").execute()
                .map(rows -> {
                    Map<String, Long> out = new java.util.HashMap<>();
                    rows.forEach(row -> out.put(row.getString("endpoint"), row.getLong("n")));
                    return out;
                });
    }

    /** Deletes settled deliveries older than {@code retention}, then events no delivery refers to any more. */
    public Uni<Integer> purge(Duration retention) {
        return pool.preparedQuery("DELETE FROM webhook_deliveries WHERE status <> 'pending' "
                        + "AND settled_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(retention.toSeconds() * 1.0))
                .chain(deleted -> pool.preparedQuery("DELETE FROM events e WHERE occurred_at < now() - "
                                + "make_interval(secs => $1) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d "
                                + "WHERE d.event_id = e.id)")
                        .execute(Tuple.of(retention.toSeconds() * 1.0)).map(events -> deleted.rowCount()));
    }

    private static <T> List<T> map(Iterable<Row> rows, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>();
        rows.forEach(row -> out.add(mapper.apply(row)));
        return out;
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
