package dev.iris.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real 3-master Redis Cluster on loopback: three {@code redis-server --cluster-enabled yes} processes (no
 * persistence, own temp dir) joined with {@code redis-cli --cluster create}. Needs {@code redis-server} and
 * {@code redis-cli} on the PATH.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<Integer> ports;
    private final List<Process> servers;
    private final Path dir;

    private RedisCluster(List<Integer> ports, List<Process> servers, Path dir) {
        this.ports = ports;
        this.servers = servers;
        this.dir = dir;
    }

    public static RedisCluster start() {
        try {
            Path dir = Files.createTempDirectory("iris-redis-cluster");
            List<Integer> ports = new ArrayList<>();
            List<Process> servers = new ArrayList<>();
            while (ports.size() < 3) {
                int port = Smtp.freePort();
                if (port < 55000 && !ports.contains(port)) { // the cluster bus listens on port + 10000
                    ports.add(port);
                }
            }
            for (int port : ports) {
                servers.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                        .start());
            }
            RedisCluster cluster = new RedisCluster(ports, servers, dir);
            for (int port : ports) {
                cluster.awaitCli(port, List.of("ping"), "PONG");
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.add("--cluster-yes");
            run(create);
            cluster.awaitCli(ports.get(0), List.of("cluster", "info"), "cluster_state:ok");
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a Redis Cluster", e);
        }
    }

    /** The value for {@code quarkus.redis.hosts}: every node. */
    public String hosts() {
        return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** How many keys each master holds (to see that data really spreads over the slots). */
    public List<Long> keysPerNode() {
        return ports.stream().map(port -> Long.parseLong(run(List.of("redis-cli", "-p", Integer.toString(port),
                "dbsize")).strip())).toList();
    }

    private void awaitCli(int port, List<String> args, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(args);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = run(command);
                if (last.contains(expected)) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage();
            }
            Smtp.sleep(200);
        }
        throw new IllegalStateException("Redis " + port + " never answered " + expected + ": " + last);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        servers.forEach(Process::destroy);
        for (Process server : servers) {
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
