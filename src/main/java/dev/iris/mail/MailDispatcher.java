package dev.iris.mail;

import dev.iris.config.IrisConfig;
import dev.iris.identity.IdentityRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.iris.support.Masking.maskEmail;

/**
 * Drains the outbox: every instance polls, claims a batch, sends, and settles each row (delete on success,
 * back off on failure, dead-letter after {@code iris.mail.max-attempts} — or at once for an
 * {@link UndeliverableAddress}, so a poisoned row never comes back to hold up the others). {@link #wake()} drains
 * soon after a send so mail does not wait for the next poll — also when a drain is already running: that one then
 * drains once more when it ends.
 *
 * <p>No enumeration by timing after the answer (design rule 1): the worker's work must not tell a caller whether
 * the address it just tried has an account. So a wake-up starts the drain on the dispatcher's own event loop after
 * a random delay ({@code iris.mail.wake-jitter}), never on the requesting connection's loop right behind its
 * answer; and an unknown address's row (nothing to send: recovery, verification, and a login unless
 * {@code notify-unknown-address}) costs the worker
 * the same decryption and rendering as a known one, only the SMTP hand-over is missing.
 *
 * <p>Whoever queues mail fires {@link MailQueued} rather than calling the dispatcher, so the dispatcher can ask the
 * flows for sign-up invitations without a dependency cycle.
 */
@Singleton
public class MailDispatcher {

    private static final int CONCURRENCY = 4;

    private final OutboxStore outbox;
    private final MailQueue queue;
    private final MailRenderer renderer;
    private final MailSender sender;
    private final Vertx vertx;
    private final SignUpInvitations invitations;
    private final IdentityRepository identities;
    private final boolean notifyUnknown;
    private final IrisConfig.Mail config;
    private final CoalescedRun drain = new CoalescedRun(this::drainBatches,
            failure -> Log.warnf("Mail outbox poll failed: %s", failure.getClass().getSimpleName()));
    private final AtomicLong pending = new AtomicLong();
    private final Counter sent;
    private final Counter failed;
    private final Counter dead;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Map<MailTemplate, Counter> rendered = new EnumMap<>(MailTemplate.class);
    private volatile long timerId = -1;
    private final String rehearsalLink;
    private volatile Context context;

    public MailDispatcher(OutboxStore outbox, MailQueue queue, MailRenderer renderer, MailSender sender, Vertx vertx,
                          SignUpInvitations invitations, IdentityRepository identities, IrisConfig config,
                          MeterRegistry registry) {
        this.invitations = invitations;
        this.identities = identities;
        this.notifyUnknown = config.login().notifyUnknownAddress();
        this.outbox = outbox;
        this.queue = queue;
        this.renderer = renderer;
        this.sender = sender;
        this.vertx = vertx;
        this.config = config.mail();
        this.sent = registry.counter("iris.mail.sent");
        this.failed = registry.counter("iris.mail.failures");
        this.dead = registry.counter("iris.mail.dead_lettered");
        for (MailTemplate template : MailTemplate.values()) {
            rendered.put(template, registry.counter("iris.mail.rendered", "template",
                    template.name().toLowerCase(Locale.ROOT)));
        }
        // The shape of a real link: base URL, flow id and a 43-character token.
        this.rehearsalLink = config.uiBaseUrl() + "/login?flow=" + new UUID(0, 0) + "&code=" + "A".repeat(43);
        registry.gauge("iris.mail.queue.depth", pending);
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getDelegate().getOrCreateContext();
        context.runOnContext(started -> timerId = vertx.setPeriodic(config.pollInterval().toMillis(), id -> {
            drain.request();
            refreshDepth().subscribe().with(ignored -> {
            }, failure -> Log.debugf("Mail queue depth not refreshed: %s", failure.getClass().getSimpleName()));
        }));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Mail was just queued (by a code send, an alert): wake up. */
    void queued(@Observes MailQueued event) {
        wake();
    }

    /**
     * Drains within {@code iris.mail.wake-jitter} on the dispatcher's event loop (or once more right after the
     * drain in progress). Wake-ups while one is pending join it.
     */
    public void wake() {
        Context own = context;
        if (own == null) {
            drain.request();
            return;
        }
        if (wakeScheduled.compareAndSet(false, true)) {
            long delay = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, config.wakeJitter().toMillis()));
            own.runOnContext(ignored -> vertx.setTimer(delay, id -> {
                wakeScheduled.set(false);
                drain.request();
            }));
        }
    }

    private Uni<Void> drainBatches() {
        return outbox.claim(config.batchSize(), config.lease())
                .chain(batch -> deliverAll(batch).chain(() -> batch.size() == config.batchSize() ? drainBatches()
                        : Uni.createFrom().voidItem()));
    }

    /** Delivers a batch, then deletes every delivered row in one statement (measured: a DELETE per mail). */
    private Uni<Void> deliverAll(List<OutboxStore.Claimed> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUni(this::deliver).merge(CONCURRENCY)
                .collect().asList()
                .chain(delivered -> outbox.complete(delivered));
    }

    /** The row's id once it needs nothing more (sent, or nothing to send); {@code null} when settled otherwise. */
    private Uni<UUID> deliver(OutboxStore.Claimed message) {
        MailPayload payload;
        try {
            payload = queue.open(message.payload());
        } catch (RuntimeException unreadable) {
            dead.increment();
            Log.errorf("audit mail.dead_lettered flow=%s error=payload_unreadable (was its cipher key removed?)",
                    message.flowId());
            return outbox.deadLetter(message.id(), "payload_unreadable").replaceWith((UUID) null);
        }
        MailTemplate rehearsal = message.template().rehearsedAs(notifyUnknown);
        if (rehearsal != null) {
            // Nothing was to be sent: a failed rehearsal changes nothing, and never fails the batch.
            return speaking(payload).map(ready -> rehearse(rehearsal, message.template(), ready))
                    .replaceWith(message.id())
                    .onFailure().recoverWithItem(message.id());
        }
        return prepare(message.template(), payload)
                .map(ready -> renderer.render(message.template(), ready))
                .invoke(() -> rendered(message.template()))
                .chain(sender::send)
                .replaceWith(message.id())
                .invoke(() -> {
                    sent.increment();
                    Log.infof("audit mail.sent flow=%s address=%s attempt=%d", message.flowId(),
                            maskEmail(payload.to()), message.attempts());
                })
                .onFailure().recoverWithUni(failure -> settleFailure(message, payload, failure)
                        .replaceWith((UUID) null));
    }

    /**
     * The work of an email for an address with no account, rendered ({@code as}: the email a known address gets)
     * and dropped: the worker spends the same CPU whether or not there is anything to send (no invitation is made:
     * that is database work on a path nobody will read).
     */
    private Mail rehearse(MailTemplate as, MailTemplate queued, MailPayload payload) {
        Mail mail = renderer.render(as, new MailPayload(payload.to(), "000000", rehearsalLink,
                payload.expiresInMinutes(), payload.language()));
        rendered(queued);
        return mail;
    }

    /**
     * The "no account" email carries a fresh sign-up invitation, made here, off the request path; an email to an
     * identity that chose a language (its {@code locale} trait) is written in that one, whatever the request spoke.
     */
    private Uni<MailPayload> prepare(MailTemplate template, MailPayload payload) {
        if (template == MailTemplate.LOGIN_UNKNOWN) {
            return SafeContext.run(vertx.getDelegate(), () -> invitations.invite(payload.to()));
        }
        return speaking(payload);
    }

    /** The payload in its recipient's own language, if it chose one — looked up for rehearsals too (the same work). */
    private Uni<MailPayload> speaking(MailPayload payload) {
        return SafeContext.run(vertx.getDelegate(), () -> Panache.withSession(() -> identities.localeOf(payload.to())))
                .map(locale -> locale == null ? payload : payload.inLanguage(locale));
    }

    /** Counts the rendering work per template ({@code iris.mail.rendered}), rehearsals included. */
    private void rendered(MailTemplate template) {
        rendered.get(template).increment();
    }

    private Uni<Void> settleFailure(OutboxStore.Claimed message, MailPayload payload, Throwable failure) {
        String error = failure instanceof SmtpUnavailable unavailable ? unavailable.underlying()
                : failure.getClass().getSimpleName();
        if (failure instanceof CircuitBreakerOpenException) {
            // SMTP was not even contacted: wait for the breaker without spending a delivery attempt.
            return outbox.retryLater(message.id(), config.backoffInitial(), error, true);
        }
        failed.increment();
        if (failure instanceof UndeliverableAddress undeliverable) {
            // Retrying cannot help and must not hold up anybody else's mail: give up on this row alone, now.
            return deadLetter(message, undeliverable.reason());
        }
        if (message.attempts() >= config.maxAttempts()) {
            return deadLetter(message, error);
        }
        Duration delay = backoff(message.attempts());
        Log.warnf("audit mail.failed flow=%s address=%s attempt=%d error=%s retry_in=%ss", message.flowId(),
                maskEmail(payload.to()), message.attempts(), error, delay.toSeconds());
        return outbox.retryLater(message.id(), delay, error, false);
    }

    private Uni<Void> deadLetter(OutboxStore.Claimed message, String error) {
        dead.increment();
        // The flow, never the address (not even masked): dead letters are read by whoever is on call.
        Log.errorf("audit mail.dead_lettered flow=%s attempts=%d error=%s", message.flowId(), message.attempts(),
                error);
        return outbox.deadLetter(message.id(), error);
    }

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(attempts - 1, 20);
        Duration delay = config.backoffInitial().multipliedBy(factor);
        return delay.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : delay;
    }

    private Uni<Void> refreshDepth() {
        return outbox.pending().invoke(pending::set).replaceWithVoid();
    }
}
