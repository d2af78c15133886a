package dev.iris.mail;

import dev.iris.identity.IdentityRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.UUID;

/**
 * Tells the user, by email through the outbox, that wrong second-factor codes locked their authenticator: once
 * per lockout (each one longer than the last), never per attempt. The email holds no code, link or count of
 * attempts — only how long the lock lasts — and is sealed in the outbox like every other.
 */
@Singleton
public class SecondFactorAlerts {

    private final IdentityRepository identities;
    private final OutboxStore outbox;
    private final MailQueue queue;
    private final Event<MailQueued> queued;

    public SecondFactorAlerts(IdentityRepository identities, OutboxStore outbox, MailQueue queue,
                              Event<MailQueued> queued) {
        this.identities = identities;
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
        return Panache.withSession(() -> identities.emailOf(identityId))
                .chain(email -> email == null ? Uni.createFrom().voidItem() : mail(identityId, flowId, email, minutes))
                .onFailure().invoke(failure -> Log.warnf("Second-factor lockout email not queued for identity %s: %s",
                        identityId, failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> mail(UUID identityId, UUID flowId, String email, long minutes) {
        MailPayload payload = new MailPayload(email, null, null, minutes);
        return outbox.queue(UUID.randomUUID(), flowId, MailTemplate.SECOND_FACTOR_FAILING, queue.seal(payload))
                .invoke(() -> queued.fire(MailQueued.NOW))
                .invoke(() -> Log.infof("audit second_factor.lockout_mailed identity=%s flow=%s minutes=%d",
                        identityId, flowId, minutes));
    }
}
