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
 * Owns the {@code mail_outbox} table: every statement that adds, claims or settles its rows is written here, in
 * plain SQL. A statement elsewhere that queues an email with the change it announces (a code and its email, one
 * round trip, all or nothing) embeds {@link #queueing} instead of writing its own INSERT.
 *
 * <p>A claim pushes {@code next_attempt_at} one lease ahead under {@code FOR UPDATE SKIP LOCKED}, so instances
 * never take the same row at once, and a row whose instance died becomes due again when the lease runs out
 * (at-least-once). Times come from the database clock so instances with skewed clocks agree.
 */
@Singleton
public class OutboxStore {

    private static final String CLAIM = """
            UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $1), attempts = attempts + 1
            WHERE id IN (SELECT id FROM mail_outbox WHERE dead_at IS NULL AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING id, flow_id, template, payload, attempts""";

    private static final String QUEUE = queueing("VALUES ($1::uuid, $2::uuid, $3::text, $4::bytea, now())");

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

    /**
     * The INSERT that queues the emails {@code rows} yields, due at once: {@code rows} is a query (a SELECT or
     * VALUES) of the columns id, flow_id, template (a {@link MailTemplate} name), sealed payload and created_at,
     * in that order. For a data-modifying {@code WITH} part of a caller's statement, or a statement of its own.
     */
    public static String queueing(String rows) {
        return "INSERT INTO mail_outbox (id, flow_id, template, payload, attempts, next_attempt_at, created_at)\n"
                + "SELECT id, flow_id, template, payload, 0, 'epoch'::timestamptz, created_at\n"
                + "FROM (" + rows + ") AS mail (id, flow_id, template, payload, created_at)";
    }

    /** Queues one sealed email, due at once (an email that carries no code; codes are queued with their code). */
    public Uni<Void> queue(UUID id, UUID flowId, MailTemplate template, byte[] payload) {
        return pool.preparedQuery(QUEUE)
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
