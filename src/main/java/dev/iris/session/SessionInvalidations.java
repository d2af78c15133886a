package dev.iris.session;

import dev.iris.config.IrisConfig;
import dev.iris.support.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel that keeps every instance's {@link NearSessionCache} honest ({@code iris:session-invalidations}).
 *
 * <p><b>Invalidations, acknowledged.</b> Once a revocation or invalidation is written to Redis, the instance that made
 * it publishes {@code inv|<id>|<sender>|<key>}; PUBLISH answers how many subscribers received it. Every other
 * instance drops the key from memory and answers {@code ack|<id>|<sender>}; the sender waits for as many
 * acknowledgements as there were other receivers (at most {@code ack-timeout}) before the revocation answers. So when
 * a logout's 204 leaves, every instance whose channel works has already dropped the session from memory: the next
 * whoami anywhere reads Redis and finds the tombstone.
 *
 * <p><b>The channel checked.</b> A channel of our own rather than Redis client-side caching ({@code CLIENT TRACKING …
 * BCAST}): that needs RESP3 push messages on the very connection that reads, which the reactive client does not
 * expose, and our own messages let each instance check the channel itself: every {@code heartbeat} it publishes
 * {@code ping|<self>}, and while its last ping has not come back within three heartbeats the near cache is off and
 * empty. A subscription that ends or fails (Redis restarted, connection killed) turns it off at once and is renewed
 * with back-off; the near cache comes back on — empty — only when a fresh subscription carries one of its pings. An
 * instance whose channel is down is not among PUBLISH's receivers, and it is not serving from memory. On Redis
 * Cluster a PUBLISH reaches the subscribers of every node.
 */
@Singleton
public class SessionInvalidations {

    private final ReactiveRedisDataSource redis;
    private final NearSessionCache near;
    private final Vertx vertx;
    private final long heartbeatMillis;
    private final Duration ackTimeout;
    private final String self = UUID.randomUUID().toString();
    private final AtomicLong lastPingBack = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final Map<String, Waiter> pending = new ConcurrentHashMap<>();
    private final Counter ackTimeouts;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribed;
    private volatile boolean stopped;
    private long timer = -1;

    /**
     * An invalidation waiting for its acknowledgements: registered before the PUBLISH (an acknowledgement may come
     * back before PUBLISH's own answer is read), told how many to expect once PUBLISH answers.
     */
    private static final class Waiter {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private int expected = -1;
        private int received;

        synchronized void acknowledged() {
            received++;
            settle();
        }

        synchronized void expect(int count) {
            expected = count;
            settle();
        }

        private void settle() {
            if (expected >= 0 && received >= expected) {
                done.complete(null);
            }
        }
    }

    public SessionInvalidations(ReactiveRedisDataSource redis, NearSessionCache near, Vertx vertx,
                                IrisConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.near = near;
        this.vertx = vertx;
        this.heartbeatMillis = config.session().nearCache().heartbeat().toMillis();
        this.ackTimeout = config.session().nearCache().ackTimeout();
        this.ackTimeouts = metrics.counter("iris.session.near_cache.ack_timeouts");
    }

    void start(@Observes StartupEvent event) {
        if (!near.enabled()) {
            return;
        }
        subscribe(0);
        timer = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        near.online(false);
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    /**
     * Announces that the cached session of {@code tokenKey} changed and waits until every other instance that
     * received the announcement dropped it (at most {@code ack-timeout}).
     */
    Uni<Void> publish(String tokenKey) {
        String id = UUID.randomUUID().toString();
        String message = "inv|" + id + "|" + self + "|" + tokenKey;
        if (!subscribed) {
            // This instance cannot hear acknowledgements (its own near cache is off, or its channel is down right
            // now): the others are told, without waiting.
            return redis.getRedis().send(Request.cmd(Command.PUBLISH).arg(RedisKeys.sessionInvalidations())
                    .arg(message)).replaceWithVoid();
        }
        Waiter waiter = new Waiter();
        pending.put(id, waiter);
        return redis.getRedis().send(Request.cmd(Command.PUBLISH).arg(RedisKeys.sessionInvalidations())
                        .arg(message))
                .invoke(receivers -> waiter.expect(Math.max(0, (receivers == null ? 0 : receivers.toInteger()) - 1)))
                .chain(() -> Uni.createFrom().completionStage(waiter.done))
                .ifNoItem().after(ackTimeout).recoverWithUni(() -> {
                    ackTimeouts.increment();
                    return Uni.createFrom().voidItem();
                })
                .eventually(() -> pending.remove(id));
    }

    /** One subscription attempt; {@code epoch} names it, so that its end and its failure count once. */
    private void subscribe(int attempt) {
        if (stopped) {
            return;
        }
        long mine = epoch.get();
        redis.pubsub(String.class).subscribe(RedisKeys.sessionInvalidations(), this::received,
                        () -> lost(mine, "subscription ended", 0),
                        failure -> lost(mine, "subscription failed: " + failure.getClass().getSimpleName(), 0))
                .subscribe().with(
                        done -> {
                            subscriber = done;
                            subscribed = true;
                            Log.info("Session invalidation channel subscribed; the near cache turns on with the next "
                                    + "ping");
                        },
                        failure -> lost(mine, "subscribe failed: " + failure.getClass().getSimpleName(),
                                attempt + 1));
    }

    private void received(String message) {
        String[] parts = message.split("\\|", 4);
        switch (parts[0]) {
            case "inv" -> {
                if (parts.length == 4) {
                    near.drop(parts[3]);
                    if (!self.equals(parts[2])) {
                        redis.getRedis().send(Request.cmd(Command.PUBLISH).arg(RedisKeys.sessionInvalidations())
                                .arg("ack|" + parts[1] + "|" + parts[2])).subscribe().with(ok -> { }, failure -> { });
                    }
                }
            }
            case "ack" -> {
                Waiter waiting = parts.length == 3 && self.equals(parts[2]) ? pending.get(parts[1]) : null;
                if (waiting != null) {
                    waiting.acknowledged();
                }
            }
            case "ping" -> {
                if (parts.length == 2 && self.equals(parts[1])) {
                    lastPingBack.set(System.nanoTime());
                    if (subscribed && !near.serving()) {
                        near.online(true);
                        Log.info("Near session cache on (the invalidation channel carries this instance's pings)");
                    }
                }
            }
            default -> Log.debugf("Unknown message on the session invalidation channel");
        }
    }

    /** Every heartbeat: a ping out, and off when the last one did not come back in time. */
    private void heartbeat() {
        if (near.serving() && System.nanoTime() - lastPingBack.get() > 3 * heartbeatMillis * 1_000_000L) {
            near.online(false);
            Log.warn("Near session cache off: this instance's pings stopped coming back on the invalidation channel");
        }
        if (subscribed) {
            redis.getRedis().send(Request.cmd(Command.PUBLISH).arg(RedisKeys.sessionInvalidations())
                    .arg("ping|" + self)).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** The subscription {@code mine} is gone: off and empty at once, then a new one after a back-off. */
    private void lost(long mine, String why, int attempt) {
        if (!epoch.compareAndSet(mine, mine + 1)) {
            return;
        }
        boolean wasServing = near.serving();
        subscribed = false;
        near.online(false);
        if (stopped) {
            return;
        }
        if (wasServing || attempt <= 1) {
            Log.warnf("Near session cache off: %s; resubscribing", why);
        }
        long delay = Math.min(5_000, 100L << Math.min(attempt, 6));
        vertx.setTimer(delay, id -> subscribe(attempt));
    }
}
