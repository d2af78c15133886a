package dev.iris.mail;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Claims and settles outbox rows with plain SQL. A claim pushes {@code next_attempt_at} one lease ahead
 * under {@code FOR UPDATE SKIP LOCKED}, so instances never take the same row at once, and a row whose
 * instance died becomes due again when the lease runs out (at-least-once). Times come from the database
 * clock so instances with skewed clocks agree.
 */
@Singleton
public class OutboxStore {

    private static final String CLAIM = """
            UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $1), attempts = attempts + 1
            WHERE id IN (SELECT id FROM mail_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING id, flow_id, template, payload, attempts""";

    private final Pool pool;

    public OutboxStore(Pool pool) {
        this.pool = pool;
    }

    /** A claimed row, still sealed. */
    public record Claimed(UUID id, UUID flowId, MailTemplate template, byte[] payload, int attempts) {
    }

    public Uni<List<Claimed>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(seconds(lease), limit)).map(rows -> {
            List<Claimed> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new Claimed(row.getUUID("id"), row.getUUID("flow_id"),
                        MailTemplate.valueOf(row.getString("template")), row.getBuffer("payload").getBytes(),
                        row.getInteger("attempts")));
            }
            return claimed;
        });
    }

    /** Queues one sealed email, due at once (an email that carries no code; codes are queued by CodeStore). */
    public Uni<Void> queue(UUID id, UUID flowId, MailTemplate template, byte[] payload) {
        return pool.preparedQuery("INSERT INTO mail_outbox (id, flow_id, template, payload, attempts, next_attempt_at, "
                        + "created_at) VALUES ($1, $2, $3, $4, 0, 'epoch'::timestamptz, now())")
                .execute(Tuple.of(id, flowId, template.name(), io.vertx.core.buffer.Buffer.buffer(payload)))
                .replaceWithVoid();
    }

    /** Sent (or nothing to send): the rows and their sealed payloads are gone. {@code null} ids are skipped. */
    public Uni<Void> complete(List<UUID> ids) {
        UUID[] done = ids.stream().filter(java.util.Objects::nonNull).toArray(UUID[]::new);
        if (done.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM mail_outbox WHERE id = ANY($1)").execute(Tuple.of(done))
                .replaceWithVoid();
    }

    /** Due again after {@code delay}; {@code refund} gives back the attempt the claim counted. */
    public Uni<Void> retryLater(UUID id, Duration delay, String error, boolean refund) {
        return pool.preparedQuery("UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), "
                        + "last_error = $3, attempts = attempts - $4 WHERE id = $1")
                .execute(Tuple.of(id, seconds(delay), error, refund ? 1 : 0)).replaceWithVoid();
    }

    /** Gives up: the row stays, marked dead, for an operator to inspect or requeue. */
    public Uni<Void> deadLetter(UUID id, String error) {
        return pool.preparedQuery("UPDATE mail_outbox SET dead_at = now(), last_error = $2 WHERE id = $1")
                .execute(Tuple.of(id, error)).replaceWithVoid();
    }

    public Uni<Long> pending() {
        return pool.query("SELECT count(*) FROM mail_outbox WHERE dead_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
