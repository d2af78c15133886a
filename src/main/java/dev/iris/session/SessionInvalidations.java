package dev.iris.session;

import dev.iris.config.IrisConfig;
import dev.iris.support.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.iris.support.RedisScript;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel that keeps every instance's {@link NearSessionCache} honest ({@code iris:session-invalidations}).
 *
 * <p><b>The fence.</b> Every {@code heartbeat} each instance publishes a ping carrying its send time on a channel only
 * it subscribes to, over the same subscription connection as the invalidations. Redis delivers one connection's
 * messages in the order it handled them, so when a ping sent at {@code t} comes back, every invalidation published
 * before {@code t} has already been read and dropped. The near cache serves only while the newest returned ping was
 * sent less than {@code ack-timeout} ago. Hence the rule for revocations: once an invalidation's PUBLISH has
 * answered, waiting {@code ack-timeout} is always enough — after that, any instance still serving from memory has
 * read it. A GC pause, a backlog, a half-open or killed connection only make an instance stop serving, never serve
 * stale.
 *
 * <p><b>Acknowledgements make it fast.</b> An invalidation is {@code inv|<id>|<sender>|<key>}; every other receiver
 * drops the key and acknowledges ({@code ack|<id>|<sender>|<receiver>}), and the revocation answers as soon as every
 * <em>member</em> has (normally about a millisecond), else when the fence has passed. The members are the instances
 * that may be serving from memory: each heartbeat's script adds its instance to {@code iris:session-near-members}
 * with a deadline on Redis's clock later than the instance's own fence for that ping, and the announcing script
 * returns the members whose deadline has not passed, in the same atomic step as its PUBLISH. Counting PUBLISH's
 * receivers instead is not enough: an instance whose subscription was just killed is not a receiver, yet serves
 * until its fence runs out (a fault test caught exactly that). A sender that cannot hear acknowledgements (its own
 * subscription is down) simply waits the fence. So when a logout's 204 leaves, no instance serves the session from
 * memory.
 *
 * <p>Why a channel of our own rather than Redis client-side caching ({@code CLIENT TRACKING … BCAST}): that needs RESP3
 * push messages on the very connection that reads, which the reactive client does not expose, and our own messages
 * give the fence. A subscription that ends or fails turns the near cache off and empties it at once; a new one is
 * made with back-off, and it comes back on — empty — only when a ping returns on it. Redis Cluster orders messages
 * from different nodes in no guaranteed way, so there the near cache stays off ({@link NearSessionCache}).
 */
@Singleton
public class SessionInvalidations {

    /**
     * The heartbeat: KEYS[1] members; ARGV[1] this instance, ARGV[2] how long (ms) it may serve on this ping, ARGV[3]
     * its ping channel, ARGV[4] the ping. The deadline is taken after the ping's send time was, so it is never earlier
     * than the instance's own fence for it; stale members are dropped on the way.
     */
    private static final RedisScript HEARTBEAT = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], 60000)
            return redis.call('PUBLISH', ARGV[3], ARGV[4])
            """);

    /**
     * An announcement: KEYS[1] members; ARGV[1] the channel, ARGV[2] the message. How many subscriptions received it,
     * then the members that may serve.
     */
    private static final RedisScript ANNOUNCE = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local receivers = redis.call('PUBLISH', ARGV[1], ARGV[2])
            local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
            table.insert(members, 1, receivers)
            return members
            """);

    /** Leaving: KEYS[1] members; ARGV[1] this instance. */
    private static final RedisScript LEAVE = new RedisScript("return redis.call('ZREM', KEYS[1], ARGV[1])");

    private final ReactiveRedisDataSource redis;
    private final NearSessionCache near;
    private final Vertx vertx;
    private final long heartbeatMillis;
    private final Duration ackTimeout;
    private final String self = UUID.randomUUID().toString();
    private final AtomicLong lastPingBack = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final Map<String, Acknowledgements> pending = new ConcurrentHashMap<>();
    private final Counter ackTimeouts;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribed;
    private volatile boolean online;
    private long beats;
    private volatile boolean stopped;
    private long timer = -1;

    public SessionInvalidations(ReactiveRedisDataSource redis, NearSessionCache near, Vertx vertx,
                                IrisConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.near = near;
        this.vertx = vertx;
        this.heartbeatMillis = config.session().nearCache().heartbeat().toMillis();
        this.ackTimeout = config.session().nearCache().ackTimeout();
        if (heartbeatMillis < 10 || ackTimeout.toMillis() < 3 * heartbeatMillis) {
            throw new IllegalStateException("iris.session.near-cache: heartbeat must be at least 10ms and ack-timeout "
                    + "at least three heartbeats (the fence must outlast a ping's round trip)");
        }
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
        leave();
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** No longer a member: revocations stop waiting for this instance (it serves nothing from memory now). */
    private void leave() {
        LEAVE.run(redis.getRedis(), RedisKeys.sessionNearMembers(), self).subscribe().with(ok -> { }, failure -> { });
    }

    /**
     * Announces that the cached session of {@code tokenKey} changed; completes when no other instance can serve it
     * from memory any more: every member acknowledged, or the fence ({@code ack-timeout}) passed since the
     * announcement. With the near cache off here (configuration), the others are told without waiting: mix enabled
     * and disabled instances only while switching it cluster-wide.
     */
    Uni<Void> publish(String tokenKey) {
        String id = UUID.randomUUID().toString();
        String message = "inv|" + id + "|" + self + "|" + tokenKey;
        if (!near.enabled()) {
            return redis.getRedis().send(Request.cmd(Command.PUBLISH).arg(RedisKeys.sessionInvalidations())
                    .arg(message)).replaceWithVoid();
        }
        Acknowledgements waiter = new Acknowledgements();
        pending.put(id, waiter);
        return ANNOUNCE.run(redis.getRedis(), RedisKeys.sessionNearMembers(), RedisKeys.sessionInvalidations(), message)
                .chain(answer -> {
                    // This instance dropped the key before announcing it; the others must say they did: every member
                    // (it may serve, whether or not Redis still counts its subscription), and as many as received
                    // it but ours (a subscriber that is no member yet — an instance of an earlier version, or one
                    // whose membership a jump of Redis's clock expired — is still heard). If our own subscription is
                    // down we hear none of them and the fence decides.
                    int receivers = answer.get(0).toInteger();
                    Set<String> others = new HashSet<>();
                    for (int i = 1; i < answer.size(); i++) {
                        others.add(answer.get(i).toString());
                    }
                    others.remove(self);
                    if (!subscribed) {
                        others.add("(our own subscription)");
                    }
                    waiter.expect(others, Math.max(0, receivers - 1));
                    return Uni.createFrom().completionStage(waiter.done())
                            .ifNoItem().after(ackTimeout).recoverWithUni(() -> {
                                if (subscribed) {
                                    ackTimeouts.increment();
                                }
                                return Uni.createFrom().voidItem();
                            });
                })
                .eventually(() -> pending.remove(id));
    }

    /** One subscription attempt; {@code epoch} names it, so that its end and its failure count once. */
    private void subscribe(int attempt) {
        if (stopped) {
            return;
        }
        long mine = epoch.get();
        redis.pubsub(String.class).subscribe(List.of(RedisKeys.sessionInvalidations(),
                                RedisKeys.sessionInvalidationPings(self)), (channel, message) -> received(message),
                        () -> lost(mine, "subscription ended", 0),
                        failure -> lost(mine, "subscription failed: " + failure.getClass().getSimpleName(), 0))
                .subscribe().with(
                        done -> {
                            if (epoch.get() != mine) {
                                // Lost before it was even reported: close it, a new one is on its way.
                                done.unsubscribe().subscribe().with(ok -> { }, failure -> { });
                                return;
                            }
                            subscriber = done;
                            // A sign of life to measure silence from: one that never carries a ping is given up too.
                            lastPingBack.set(System.nanoTime());
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
                        // Straight to the sender's own channel: only it needs to hear it.
                        redis.getRedis().send(Request.cmd(Command.PUBLISH)
                                .arg(RedisKeys.sessionInvalidationPings(parts[2]))
                                .arg("ack|" + parts[1] + "|" + parts[2] + "|" + self))
                                .subscribe().with(ok -> { }, failure -> { });
                    }
                }
            }
            case "ack" -> {
                // ack|<id>|<sender>|<receiver>; an earlier version sends ack|<id>|<sender>
                Acknowledgements waiting = parts.length >= 3 && self.equals(parts[2]) ? pending.get(parts[1]) : null;
                if (waiting != null) {
                    waiting.acknowledged(parts.length == 4 ? parts[3] : null);
                }
            }
            case "ping" -> {
                if (parts.length == 3 && self.equals(parts[1])) {
                    long sentAt = Long.parseLong(parts[2]);
                    lastPingBack.set(System.nanoTime());
                    if (subscribed && !online) {
                        online = true;
                        near.online(true);
                        Log.info("Near session cache on (the invalidation channel carries this instance's pings)");
                    }
                    near.proven(sentAt);
                }
            }
            default -> Log.debugf("Unknown message on the session invalidation channel");
        }
    }

    /**
     * Every heartbeat: a ping out (its send time is the fence's proof when it returns). Between pings the fence itself
     * stops serving; pings missing for a second turn the near cache off and empty it, so it restarts clean.
     */
    private void heartbeat() {
        if (++beats % Math.max(1, 1000 / heartbeatMillis) == 0) {
            near.purgeExpired();
        }
        if (subscribed && System.nanoTime() - lastPingBack.get() > Math.max(1000, 3 * heartbeatMillis) * 1_000_000L) {
            // A subscription that looks alive but carries nothing (half-open): start over on a new one.
            lost(epoch.get(), "this instance's pings stopped coming back on the invalidation channel", 0);
            return;
        }
        if (subscribed) {
            // Membership outlasts this ping's fence by another fence: clocks of Redis and of this process may drift.
            HEARTBEAT.run(redis.getRedis(), RedisKeys.sessionNearMembers(), self,
                            Long.toString(2 * ackTimeout.toMillis()), RedisKeys.sessionInvalidationPings(self),
                            "ping|" + self + "|" + System.nanoTime())
                    .subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** The subscription {@code mine} is gone: off and empty at once, then a new one after a back-off. */
    private void lost(long mine, String why, int attempt) {
        if (!epoch.compareAndSet(mine, mine + 1)) {
            return;
        }
        boolean wasServing = online;
        subscribed = false;
        online = false;
        near.online(false);
        leave();
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
            subscriber = null;
        }
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
