package dev.iris.soak;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak run (not part of CI; about 12 minutes): three packaged instances behind a round-robin client, a
 * steady mixed load for {@code soak.minutes} (10) at {@code soak.rate} requests/s (300) — whoami 80 %, send
 * 10 % (flow + send to a known address), redeem 10 % (the 6-digit code read from the real SMTP capture) —
 * then: no errors, heap after a full GC flat (second half within ±10 % of its mean, never above the warm-up
 * peak + 10 %) on every instance, and the mail queue drained. Run: {@code ./mvnw verify -Dsoak -Dtest=none -Dit.test=SoakIT}; figures go to
 * {@code target/soak/summary.md}.
 */
@Tag("soak")
class SoakIT {

    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Queue<Long>> latencies = new ConcurrentHashMap<>();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();

    @Test
    void tenMinutesOfMixedLoadOnThreeInstances() throws Exception {
        int minutes = Integer.getInteger("soak.minutes", 10);
        int rate = Integer.getInteger("soak.rate", 300);
        Map<String, String> config = Map.of("iris.ratelimit.send-per-ip", "100000000/1m",
                "iris.ratelimit.send-per-address", "100000000/1m",
                "iris.ratelimit.failed-redeems-per-ip", "100000000/1m");
        List<PackagedApp> apps = new ArrayList<>();
        for (String name : List.of("soak-a", "soak-b", "soak-c")) {
            apps.add(PackagedApp.start(name, config));
        }
        try {
            run(apps, minutes, rate);
        } finally {
            apps.forEach(PackagedApp::close);
        }
    }

    private void run(List<PackagedApp> apps, int minutes, int rate) throws Exception {
        Api admin = apps.get(0).api();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String email = Api.uniqueEmail();
            admin.createIdentity(email);
            addresses.add(email);
        }
        String token = admin.signIn(addresses.get(0));

        Map<String, String> codeByFlow = new ConcurrentHashMap<>();
        Map<String, String> emailByFlow = new ConcurrentHashMap<>();
        Queue<String> readyFlows = new ConcurrentLinkedQueue<>(); // flows whose email has arrived
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(48);
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        // GreenMail lists messages mailbox by mailbox, not in arrival order: remember what was read by Message-ID.
        java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
        ticks.scheduleAtFixedRate(() -> Smtp.receivedFrom(0).forEach(message -> {
            try { // an exception here would cancel the reader for good
                if (seen.add(message.getMessageID())) {
                    LoginMail mail = LoginMail.parse(message);
                    if (emailByFlow.containsKey(mail.flowId())) {
                        codeByFlow.put(mail.flowId(), mail.code());
                        readyFlows.add(mail.flowId());
                    }
                }
            } catch (Exception unparsable) {
                error("mail " + unparsable);
            }
        }), 500, 500, TimeUnit.MILLISECONDS);
        ticks.scheduleAtFixedRate(() -> {
            for (int i = 0; i < rate / 10; i++) {
                int n = next.getAndIncrement();
                String base = apps.get(n % apps.size()).baseUrl();
                int pick = ThreadLocalRandom.current().nextInt(10);
                workers.submit(() -> {
                    if (pick == 0) {
                        send(base, addresses.get(n % addresses.size()), emailByFlow);
                    } else if (pick == 1) {
                        redeem(base, readyFlows, codeByFlow, emailByFlow);
                    } else {
                        timed("whoami", 200, HttpRequest.newBuilder(URI.create(base + "/sessions/whoami"))
                                .header("X-Session-Token", token).build());
                    }
                });
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        List<long[]> heap = new ArrayList<>(); // per minute: used KB after full GC, per instance
        for (int minute = 1; minute <= minutes; minute++) {
            Thread.sleep(60_000);
            heap.add(apps.stream().mapToLong(SoakIT::heapAfterGc).toArray());
            System.out.printf("soak minute %d: %s heap-after-gc KB=%s errors=%d %s%n", minute, counts,
                    Arrays.toString(heap.get(heap.size() - 1)), errors.size(), errors.stream().limit(3).toList());
        }
        ticks.shutdownNow();
        workers.shutdown();
        assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        Poll.until(() -> pendingMail() == 0, Duration.ofSeconds(120), "the mail queue to drain");
        String summary = summary(minutes, rate, heap);
        System.out.println(summary);
        Path out = Path.of("target", "soak");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.md"), summary);

        assertThat(errors).as("errors (first ones)").isEmpty();
        // Heap after a full GC: over the second half of the run (after JIT, class loading and pools have
        // settled) every sample stays within ±10 % of that half's mean, and no sample of it exceeds the first
        // half's peak by more than 10 % - i.e. flat, no growth.
        int half = heap.size() / 2;
        for (int i = 0; i < heap.get(0).length; i++) {
            int instance = i;
            double mean = heap.subList(half, heap.size()).stream().mapToLong(sample -> sample[instance]).average()
                    .orElseThrow();
            long warmPeak = heap.subList(0, half).stream().mapToLong(sample -> sample[instance]).max().orElseThrow();
            for (long[] sample : heap.subList(half, heap.size())) {
                assertThat((double) sample[instance]).as("instance %d heap after GC vs the second half's mean", instance)
                        .isBetween(mean * 0.9, mean * 1.1);
                assertThat((double) sample[instance]).as("instance %d heap after GC vs the warm-up peak", instance)
                        .isLessThanOrEqualTo(warmPeak * 1.1);
            }
        }
    }

    private void send(String base, String email, Map<String, String> emailByFlow) {
        String body = timed("create", 200, HttpRequest.newBuilder(URI.create(base + "/self-service/login/api")).build());
        if (body == null) {
            return;
        }
        String flow = body.substring(body.indexOf("\"id\":\"") + 6, body.indexOf("\"id\":\"") + 42);
        emailByFlow.put(flow, email);
        timed("send", 400, json(base + "/self-service/login?flow=" + flow,
                "{\"method\":\"code\",\"identifier\":\"" + email + "\"}"));
    }

    private void redeem(String base, Queue<String> readyFlows, Map<String, String> codeByFlow,
                        Map<String, String> emailByFlow) {
        String flow = readyFlows.poll();
        if (flow == null || !emailByFlow.containsKey(flow)) {
            count("redeem-skipped"); // no email waiting yet: this tick does nothing
            return;
        }
        timed("redeem", 200, json(base + "/self-service/login?flow=" + flow, "{\"method\":\"code\",\"identifier\":\""
                + emailByFlow.get(flow) + "\",\"code\":\"" + codeByFlow.get(flow) + "\"}"));
    }

    private static HttpRequest json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", ContentType.JSON.toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends, records latency and outcome; the body when the status was the expected one, else null. */
    private String timed(String op, int expected, HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            latencies.computeIfAbsent(op, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - start);
            count(op);
            if (answer.statusCode() != expected) {
                error(op + " " + answer.statusCode() + " " + answer.body().substring(0, Math.min(200, answer.body().length())));
                return null;
            }
            return answer.body();
        } catch (Exception e) {
            error(op + " " + e);
            return null;
        }
    }

    private void count(String op) {
        counts.computeIfAbsent(op, k -> new LongAdder()).increment();
    }

    private void error(String what) {
        if (errors.size() < 20) {
            errors.add(what);
        } else {
            count("errors-beyond-20");
        }
    }

    private static long heapAfterGc(PackagedApp app) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        exec(jcmd, Long.toString(app.pid()), "GC.run");
        Matcher used = HEAP_USED.matcher(exec(jcmd, Long.toString(app.pid()), "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(used.group(1));
    }

    private static String exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", command), e);
        }
    }

    private static long pendingMail() {
        try (var connection = DriverManager.getConnection(PackagedApp.jdbcUrl(), PackagedApp.dbUser(),
                PackagedApp.dbPassword()); ResultSet rows = connection.createStatement()
                .executeQuery("SELECT count(*) FROM mail_outbox WHERE dead_at IS NULL")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String summary(int minutes, int rate, List<long[]> heap) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Soak: %d min, target %d req/s over 3 instances, errors=%d%n%n", minutes, rate,
                errors.size()));
        out.append("| op | count | p50 ms | p99 ms |\n|---|---|---|---|\n");
        counts.keySet().stream().sorted().forEach(op -> {
            long[] sorted = latencies.getOrDefault(op, new ConcurrentLinkedQueue<>()).stream()
                    .mapToLong(Long::longValue).sorted().toArray();
            out.append(String.format("| %s | %d | %s | %s |%n", op, counts.get(op).sum(), percentile(sorted, 50),
                    percentile(sorted, 99)));
        });
        out.append("\nheap after full GC (KB) per minute, instances a/b/c:\n\n");
        for (int i = 0; i < heap.size(); i++) {
            out.append(String.format("- minute %d: %s%n", i + 1, Arrays.toString(heap.get(i))));
        }
        return out.toString();
    }

    private static String percentile(long[] sortedNanos, int p) {
        if (sortedNanos.length == 0) {
            return "-";
        }
        int index = Math.min(sortedNanos.length - 1, (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1);
        return String.format("%.2f", sortedNanos[Math.max(0, index)] / 1e6);
    }
}
