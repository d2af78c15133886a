package dev.iris.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts throw-away Postgres (zonky, PG 15) and Redis (embedded-redis) for dev mode and tests on a machine
 * that has nothing configured. Only {@link EmbeddedServicesSourceFactory} touches this class, and only in
 * dev/test launch mode, so production never loads the embedded libraries (they are {@code provided} scope).
 *
 * <p>Started ports are remembered in system properties: the config factory runs again in new class loaders
 * on every live reload and test profile, and must reuse the same servers.
 */
public final class EmbeddedServices {

    private static final String PG_PORT = "dev.iris.embedded.pg-port";
    private static final String REDIS_PORT = "dev.iris.embedded.redis-port";
    private static final String LOCK = "dev.iris.embedded.lock";

    private EmbeddedServices() {
    }

    /** Config for the requested services, starting each at most once per JVM. */
    public static Map<String, String> config(boolean postgres, boolean redis) {
        synchronized (LOCK.intern()) {
            // One after the other: both libraries write a binary and exec it, and a fork by the other thread
            // while that file is open makes the exec fail with "Text file busy".
            if (redis && System.getProperty(REDIS_PORT) == null) {
                withRetries(EmbeddedServices::startRedis);
            }
            if (postgres && System.getProperty(PG_PORT) == null) {
                withRetries(EmbeddedServices::startPostgres);
            }
            Map<String, String> config = new LinkedHashMap<>();
            if (postgres) {
                String port = System.getProperty(PG_PORT);
                config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres");
                config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
                config.put("quarkus.datasource.username", "postgres");
                config.put("quarkus.datasource.password", "postgres");
            }
            if (redis) {
                config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + System.getProperty(REDIS_PORT));
            }
            return config;
        }
    }

    private static void withRetries(Runnable start) {
        for (int attempt = 1; ; attempt++) {
            try {
                start.run();
                return;
            } catch (UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void startPostgres() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            System.setProperty(PG_PORT, Integer.toString(pg.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Postgres did not start", e);
        }
    }

    private static void startRedis() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
            System.setProperty(REDIS_PORT, Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
