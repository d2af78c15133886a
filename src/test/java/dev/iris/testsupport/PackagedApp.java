package dev.iris.testsupport;

import dev.iris.app.EmbeddedServices;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged app ({@code target/quarkus-app/quarkus-run.jar}, or the native executable when the system property
 * {@code iris.it.native} names it) started as a real process in prod mode, the way a deployment runs it: Postgres and Redis from the environment ({@code QUARKUS_DATASOURCE_*},
 * {@code QUARKUS_REDIS_HOSTS}) when set, else embedded servers started by this JVM; SMTP from {@link Smtp};
 * secrets freshly random per test run but shared by all instances of the run.
 */
public final class PackagedApp implements AutoCloseable {

    public static final String ADMIN_KEY = random(32);
    private static final Map<String, String> SECRETS = Map.of(
            "iris.secrets.hmac", random(32),
            "iris.secrets.cookie", random(32),
            "iris.secrets.cipher", Base64.getEncoder().encodeToString(bytes(32)),
            "iris.admin.api-keys", ADMIN_KEY);

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private PackagedApp(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts one instance and waits until {@code /q/health/ready} answers UP. */
    public static PackagedApp start(String name, Map<String, String> extraConfig) {
        PackagedApp app = launch(name, extraConfig);
        app.awaitReady();
        return app;
    }

    /** Starts one instance without waiting for it (for starts that are expected to fail). */
    public static PackagedApp launch(String name, Map<String, String> extraConfig) {
        int port = Smtp.freePort();
        Map<String, String> config = new LinkedHashMap<>(backingServices());
        config.putAll(SECRETS);
        config.put("quarkus.http.port", Integer.toString(port));
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", Integer.toString(Smtp.start()));
        config.put("iris.public-url", "http://127.0.0.1:" + port);
        config.put("iris.http.trusted-proxies", "127.0.0.1/32");
        config.putAll(extraConfig);
        // A value may name the port the instance gets ("http://localhost:{port}", for a test that needs a host name).
        config.replaceAll((key, value) -> value.replace("{port}", Integer.toString(port)));

        List<String> command = new ArrayList<>();
        Path executable = nativeExecutable();
        command.add(executable != null ? executable.toString()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        if (executable == null) {
            command.add("-jar");
            command.add(appDir().resolve("quarkus-run.jar").toString());
        }
        try {
            Path logs = Path.of("target", "it-logs");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + "-" + port + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // An instance a failed test forgot must not outlive the test JVM (it would keep polling the shared
            // outbox and steal the next run's mail).
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new PackagedApp(name, port, process, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** JDBC URL of the database the instances use (for checks from the test). */
    public static String jdbcUrl() {
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return env != null ? env : backingServices().get("quarkus.datasource.jdbc.url");
    }

    public static String dbUser() {
        String env = System.getenv("QUARKUS_DATASOURCE_USERNAME");
        return env != null ? env : "postgres";
    }

    public static String dbPassword() {
        String env = System.getenv("QUARKUS_DATASOURCE_PASSWORD");
        return env != null ? env : "postgres";
    }

    private static Map<String, String> backingServices() {
        boolean pg = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") == null;
        boolean redis = System.getenv("QUARKUS_REDIS_HOSTS") == null;
        return pg || redis ? EmbeddedServices.config(pg, redis) : Map.of();
    }

    private static Path appDir() {
        return Path.of(System.getProperty("iris.app.dir", "target/quarkus-app"));
    }

    /** Whether the instances are the native executable ({@code -Diris.it.native=…}) rather than the JVM jar. */
    public static boolean isNative() {
        return nativeExecutable() != null;
    }

    /**
     * The native executable named by the system property {@code iris.it.native} (a path, or a pattern for the file
     * name such as {@code target/*-runner}), or null when unset or blank: then the instances run the JVM jar.
     */
    private static Path nativeExecutable() {
        String property = System.getProperty("iris.it.native", "").strip();
        if (property.isEmpty()) {
            return null;
        }
        Path path = Path.of(property).toAbsolutePath();
        if (!path.getFileName().toString().contains("*")) {
            return requireExecutable(path, property);
        }
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(path.getParent(), path.getFileName().toString())) {
            List<Path> found = new ArrayList<>();
            matches.forEach(found::add);
            if (found.size() != 1) {
                throw new IllegalStateException("iris.it.native=" + property + " matches " + found.size()
                        + " files, not one: " + found);
            }
            return requireExecutable(found.get(0), property);
        } catch (IOException e) {
            throw new IllegalStateException("iris.it.native=" + property + ": " + e, e);
        }
    }

    private static Path requireExecutable(Path path, String property) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("iris.it.native=" + property + ": no executable at " + path
                    + " (build it first, see README: native executable)");
        }
        return path;
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(baseUrl(), ADMIN_KEY, Api.randomIp());
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited early:\n" + logText());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Smtp.sleep(200);
        }
        throw new IllegalStateException(name + " did not become ready:\n" + logText());
    }

    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: the process ends at once, nothing shuts down cleanly. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** {@code kill -TERM} without waiting: the instance shuts down gracefully while the test goes on. */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String random(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }
}
