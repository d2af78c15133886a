package dev.iris.mail;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Iterator;
import java.util.UUID;

/**
 * Tells the user, by email through the outbox, that wrong second-factor codes locked their authenticator: once
 * per lockout (each one longer than the last), never per attempt. The email holds no code, link or count of
 * attempts — only how long the lock lasts — and is sealed in the outbox like every other.
 */
@Singleton
public class SecondFactorAlerts {

    private final Pool pool;
    private final OutboxStore outbox;
    private final MailQueue queue;
    private final Event<MailQueued> queued;

    public SecondFactorAlerts(Pool pool, OutboxStore outbox, MailQueue queue, Event<MailQueued> queued) {
        this.pool = pool;
        this.outbox = outbox;
        this.queue = queue;
        this.queued = queued;
    }

    /**
     * Queues the alert for {@code identityId}: locked for {@code lockout}, or until reset when {@code untilReset}.
     * Best effort: the attempt has already failed and its lockout is counted, so a database that cannot take the
     * email is logged, never turned into an error answer.
     */
    public Uni<Void> lockedOut(UUID identityId, UUID flowId, Duration lockout, boolean untilReset) {
        long minutes = untilReset ? 0 : Math.max(1, (lockout.toSeconds() + 59) / 60);
        return pool.preparedQuery("SELECT email FROM identities WHERE id = $1").execute(Tuple.of(identityId))
                .chain(rows -> {
                    Iterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        return Uni.createFrom().voidItem();
                    }
                    MailPayload payload = new MailPayload(found.next().getString("email"), null, null, minutes);
                    return outbox.queue(UUID.randomUUID(), flowId, MailTemplate.SECOND_FACTOR_FAILING,
                                    queue.seal(payload))
                            .invoke(() -> queued.fire(MailQueued.NOW))
                            .invoke(() -> Log.infof("audit second_factor.lockout_mailed identity=%s flow=%s "
                                    + "minutes=%d", identityId, flowId, minutes));
                })
                .onFailure().invoke(failure -> Log.warnf("Second-factor lockout email not queued for identity %s: %s",
                        identityId, failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }
}
