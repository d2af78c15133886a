package dev.iris.maintenance;

import dev.iris.config.IrisConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

/**
 * Deletes what can never be used again, so Postgres does not grow without bound: login codes a day after
 * they expired, and sessions {@code iris.janitor.session-retention} after they expired or were revoked (kept
 * that long for the admin API and audits). Dead-lettered mail is kept for an operator. Every instance runs
 * it; the deletes are idempotent and batched.
 */
@Singleton
public class Janitor {

    private static final int BATCH = 5_000;

    private final Pool pool;
    private final Vertx vertx;
    private final IrisConfig.Janitor config;
    private volatile long timerId = -1;

    public Janitor(Pool pool, Vertx vertx, IrisConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.janitor();
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.interval().toMillis(), id -> sweep().subscribe().with(
                deleted -> {
                    if (deleted > 0) {
                        Log.infof("janitor removed %d expired rows", deleted);
                    }
                },
                failure -> Log.warnf("janitor sweep failed: %s", failure.getClass().getSimpleName())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** One sweep; returns how many rows went. */
    public Uni<Integer> sweep() {
        double retention = config.sessionRetention().toSeconds();
        return delete("DELETE FROM login_codes WHERE id IN (SELECT id FROM login_codes "
                + "WHERE expires_at < now() - interval '1 day' LIMIT " + BATCH + ")", Tuple.tuple())
                .chain(codes -> delete("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                        + "WHERE coalesce(revoked_at, expires_at) < now() - make_interval(secs => $1) LIMIT "
                        + BATCH + ")", Tuple.of(retention))
                        .map(sessions -> codes + sessions));
    }

    private Uni<Integer> delete(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> rows.rowCount());
    }
}
