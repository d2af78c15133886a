package dev.iris.events;

import dev.iris.config.EventsConfig;
import dev.iris.config.IrisConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers webhooks: every instance polls; per endpoint it claims as many due deliveries as it has free slots
 * ({@code max-concurrency}) and POSTs each, signed ({@link WebhookSigner}). Endpoints are independent: a slow or dead
 * one fills only its own slots, and nothing here runs on a request's path (sign-ins only write rows). A 2xx settles
 * the delivery; anything else (a status, a timeout, a refused connection) schedules the next attempt with
 * exponential backoff and full jitter, until {@code iris.events.retry-for} after the event: then it is marked
 * failed, kept and replayable (admin API). Redirects are not followed; response bodies are not read.
 */
@Singleton
public class WebhookDispatcher {

    private final WebhookStore store;
    private final WebhookEndpoints endpoints;
    private final EventsConfig config;
    private final Duration purgeEvery;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> claiming = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile WebClient client;
    private volatile long pollTimer = -1;
    private volatile long purgeTimer = -1;

    public WebhookDispatcher(WebhookStore store, WebhookEndpoints endpoints, IrisConfig config, Vertx vertx,
                             MeterRegistry registry) {
        this.store = store;
        this.endpoints = endpoints;
        this.config = config.events();
        this.purgeEvery = config.janitor().interval();
        this.vertx = vertx;
        this.registry = registry;
        endpoints.all().keySet().forEach(name -> {
            inFlight.put(name, new AtomicInteger());
            claiming.put(name, new AtomicBoolean());
            depth.put(name, registry.gauge("iris.webhook.queue.depth", List.of(io.micrometer.core.instrument.Tag.of(
                    "endpoint", name)), new AtomicLong()));
        });
    }

    void start(@Observes StartupEvent event) {
        client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setUserAgent("Iris-Webhooks/1").setKeepAlive(true).setConnectTimeout(5_000));
        // Subscriptions are written even with no endpoint: an endpoint removed from the configuration stops
        // getting events at once. Written now rather than on the first poll, and readiness waits for them
        // (WebhookSubscriptionsCheck): a change made before they exist records no delivery for an endpoint the
        // configuration has just added.
        writeSubscriptions();
        pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll());
        purgeTimer = vertx.setPeriodic(purgeEvery.toMillis(), id -> store.purge(config.retention()).subscribe().with(
                purged -> Log.debugf("Webhook deliveries purged: %d", purged),
                failure -> Log.debugf("Webhook purge failed: %s", failure.getClass().getSimpleName())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            vertx.cancelTimer(purgeTimer);
        }
    }

    /** Whether this instance has written its subscriptions (readiness waits for it). */
    boolean subscriptionsWritten() {
        return subscribed.get();
    }

    private void writeSubscriptions() {
        if (!subscribing.compareAndSet(false, true)) {
            return;
        }
        store.subscribe(endpoints.subscriptions()).subscribe().with(done -> {
            subscribed.set(true);
            subscribing.set(false);
            Log.infof("Webhook subscriptions written: %s", endpoints.subscriptions().keySet());
        }, failure -> {
            subscribing.set(false);
            Log.warnf("Webhook subscriptions not written yet: %s", failure.getClass().getSimpleName());
        });
    }

    private void poll() {
        if (!subscribed.get()) {
            writeSubscriptions();
            return;
        }
        endpoints.all().values().forEach(this::pump);
        if (!endpoints.all().isEmpty()) {
            store.depth().subscribe().with(counts -> depth.forEach((name, gauge) -> gauge.set(counts.getOrDefault(name,
                    0L))), failure -> Log.debugf("Webhook queue depth not refreshed: %s", failure.getClass().getSimpleName()));
        }
    }

    /** Claims as many due deliveries as the endpoint has free slots, and starts them. */
    private void pump(WebhookEndpoints.Endpoint endpoint) {
        AtomicInteger busy = inFlight.get(endpoint.name());
        int free = endpoint.maxConcurrency() - busy.get();
        AtomicBoolean claim = claiming.get(endpoint.name());
        if (free <= 0 || !claim.compareAndSet(false, true)) {
            return;
        }
        // Neither a claim nor a delivery may hold its slot forever: a pending one is given up after a lease (its
        // row becomes due again for whoever claims it next).
        store.claim(endpoint.name(), free, config.lease())
                .ifNoItem().after(config.lease()).failWith(() -> new IllegalStateException("claim timed out"))
                .subscribe().with(batch -> {
            claim.set(false);
            for (WebhookStore.Claimed delivery : batch) {
                busy.incrementAndGet();
                Uni.createFrom().deferred(() -> deliver(endpoint, delivery))
                        .ifNoItem().after(endpoint.timeout().plus(config.lease()))
                        .failWith(() -> new IllegalStateException("delivery timed out"))
                        .subscribe().with(done -> {
                    busy.decrementAndGet();
                    pump(endpoint); // a slot is free: more may be due
                }, failure -> {
                    busy.decrementAndGet();
                    Log.warnf("Webhook delivery to %s not settled: %s", endpoint.name(), failure.getMessage());
                });
            }
        }, failure -> {
            claim.set(false);
            Log.warnf("Webhook claim for %s failed: %s", endpoint.name(), failure.getMessage());
        });
    }

    private Uni<Void> deliver(WebhookEndpoints.Endpoint endpoint, WebhookStore.Claimed delivery) {
        String body = new JsonObject().put("type", delivery.type())
                .put("timestamp", delivery.occurredAt().toString())
                .put("data", new JsonObject(delivery.data())).encode();
        String id = delivery.eventId().toString();
        long timestamp = Instant.now().getEpochSecond();
        return client.postAbs(endpoint.url().toString())
                .timeout(endpoint.timeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", endpoint.signer().signature(id, timestamp, body))
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(body))
                .map(response -> response.statusCode())
                .onFailure().recoverWithItem(failure -> -1)
                .chain(status -> status >= 200 && status < 300 ? delivered(endpoint, delivery, status)
                        : retryOrFail(endpoint, delivery, status));
    }

    private Uni<Void> delivered(WebhookEndpoints.Endpoint endpoint, WebhookStore.Claimed delivery, int status) {
        meter("iris.webhook.delivered", endpoint).increment();
        Timer.builder("iris.webhook.delivery.latency").tag("endpoint", endpoint.name())
                .description("from the event to its delivery").register(registry)
                .record(Duration.between(delivery.occurredAt(), Instant.now()));
        Log.infof("audit webhook.delivered endpoint=%s event=%s type=%s attempt=%d status=%d", endpoint.name(),
                delivery.eventId(), delivery.type(), delivery.attempts(), status);
        return store.delivered(delivery.id(), status);
    }

    private Uni<Void> retryOrFail(WebhookEndpoints.Endpoint endpoint, WebhookStore.Claimed delivery, int status) {
        meter("iris.webhook.failures", endpoint).increment();
        Integer code = status < 0 ? null : status;
        String error = status < 0 ? "no answer (refused, reset or timed out)" : "status " + status;
        Duration delay = backoff(delivery.attempts());
        if (Instant.now().plus(delay).isAfter(delivery.createdAt().plus(config.retryFor()))) {
            Log.errorf("audit webhook.failed endpoint=%s event=%s type=%s attempts=%d error=%s", endpoint.name(),
                    delivery.eventId(), delivery.type(), delivery.attempts(), error);
            return store.failed(delivery.id(), code, error);
        }
        Log.warnf("audit webhook.retry endpoint=%s event=%s attempt=%d error=%s retry_in=%dms", endpoint.name(),
                delivery.eventId(), delivery.attempts(), error, delay.toMillis());
        return store.retryLater(delivery.id(), code, error, delay);
    }

    /** Exponential with full jitter: uniformly random in [0, min(max, initial × 2^(attempts-1))], at least 100 ms. */
    Duration backoff(int attempts) {
        long ceiling = config.backoffInitial().toMillis() << Math.min(Math.max(attempts - 1, 0), 30);
        long capped = Math.min(Math.max(ceiling, 0), config.backoffMax().toMillis());
        return Duration.ofMillis(Math.max(100, ThreadLocalRandom.current().nextLong(capped + 1)));
    }

    private Counter meter(String name, WebhookEndpoints.Endpoint endpoint) {
        return registry.counter(name, "endpoint", endpoint.name());
    }
}
