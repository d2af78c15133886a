package dev.iris.session;

import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.RawRedis;
import dev.iris.testsupport.SessionCalls;
import dev.iris.testsupport.Smtp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 2, from outside: a logout racing whoamis that refill a cold cache entry, on two packaged
 * instances sharing Postgres and Redis. Each round drops the session's Redis entry (as a TTL expiry, a Redis
 * restart or a second-factor change would), releases 12 whoamis spread over both instances together with the
 * logout, and after the logout's 204 asks whoami on both instances several times. No whoami that starts after the
 * 204 may answer 200 — before the fix a refill that read Postgres before the revocation and wrote Redis after the
 * eviction kept the session alive for the whole cache TTL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationRaceIT {

    private static final int ROUNDS = 100;
    private static final int WHOAMIS = 12;

    /** Whoamis answered 200 while the logout was under way: proof that the rounds raced live refills. */
    private final AtomicInteger raced200s = new AtomicInteger();
    private final SessionCalls calls = new SessionCalls();
    private RedisServer redisServer;
    private RawRedis redis;
    private PackagedApp first;
    private PackagedApp second;

    @BeforeAll
    void start() throws IOException {
        int port = Smtp.freePort();
        redisServer = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
        redisServer.start();
        redis = new RawRedis("127.0.0.1", port);
        Map<String, String> config = Map.of(
                "quarkus.redis.hosts", "redis://127.0.0.1:" + port,
                "iris.mail.poll-interval", "200ms",
                "iris.ratelimit.send-per-ip", "1000/5m",
                "iris.ratelimit.send-per-address", "1000/1h");
        first = PackagedApp.start("race-a", config);
        second = PackagedApp.start("race-b", config);
    }

    @AfterAll
    void stop() throws IOException {
        first.close();
        second.close();
        redis.close();
        redisServer.stop();
    }

    @Test
    void noWhoamiAnswers200AfterTheLogoutsNoContent() throws Exception {
        List<String> tokens = calls.signIns(List.of(first, second), ROUNDS);
        List<String> failures = new ArrayList<>();
        int late200s = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int late = round(round, tokens.get(round));
            if (late > 0) {
                failures.add("round " + round + ": " + late + " whoami 200 after the 204");
                late200s += late;
            }
        }
        assertThat(raced200s.get()).as("whoamis that raced the logout and found the session alive").isPositive();
        assertThat(failures).as("%d of %d rounds answered whoami 200 after the logout's 204 (%d answers)",
                failures.size(), ROUNDS, late200s).isEmpty();
    }

    /** One round; returns how many whoamis that started after the logout's 204 answered 200. */
    private int round(int round, String token) throws Exception {
        PackagedApp[] apps = {first, second};
        assertThat(calls.whoami(apps[round % 2], token)).isEqualTo(200);
        redis.call("DEL", "iris:session:" + sha256Hex(token)); // a cold entry

        AtomicLong loggedOutAt = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger late200s = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WHOAMIS + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < WHOAMIS; i++) {
                PackagedApp app = apps[i % 2];
                work.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 40; n++) {
                        long started = System.nanoTime();
                        int status = calls.whoami(app, token);
                        if (started > loggedOutAt.get()) {
                            if (status == 200) {
                                late200s.incrementAndGet();
                            }
                            break;
                        }
                        if (status == 200) {
                            raced200s.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            PackagedApp logoutAt = apps[(round / 2) % 2];
            work.add(pool.submit(() -> {
                go.await();
                Thread.sleep(round % 4); // sweep the logout across the refills
                int status = calls.logout(logoutAt, token);
                loggedOutAt.set(System.nanoTime());
                assertThat(status).isEqualTo(204);
                return null;
            }));
            go.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int check = 0; check < 3; check++) {
            Thread.sleep(50L * check);
            for (PackagedApp app : apps) {
                if (calls.whoami(app, token) == 200) {
                    late200s.incrementAndGet();
                }
            }
        }
        return late200s.get();
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
