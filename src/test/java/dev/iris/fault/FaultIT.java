package dev.iris.fault;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.RefusingSmtp;
import dev.iris.testsupport.SilentServer;
import dev.iris.testsupport.Smtp;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Faults injected on purpose into packaged instances (real processes) with real Postgres, Redis and SMTP:
 * a killed instance, SMTP down for a minute, a permanently refused recipient, Redis restarted empty, Postgres
 * stopped and started again (a dedicated one), and a graceful shutdown under load. Each test checks delivered mail, HTTP statuses and what
 * the database holds. Tagged {@code fault}; part of {@code ./mvnw verify}.
 */
@Tag("fault")
class FaultIT {

    /** Short timings so a fault plays out in seconds: the mechanisms are the production ones. */
    private static final Map<String, String> QUICK_MAIL = Map.of(
            "iris.mail.poll-interval", "300ms",
            "iris.mail.backoff-initial", "500ms",
            "iris.mail.backoff-max", "3s",
            "iris.mail.lease", "4s",
            "dev.iris.mail.MailSender/send/Timeout/value", "3000",
            "dev.iris.mail.MailSender/send/CircuitBreaker/delay", "5000",
            "iris.ratelimit.send-per-ip", "1000/5m",
            "iris.ratelimit.send-per-address", "1000/1h");

    private static Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(QUICK_MAIL);
        config.putAll(extra);
        return config;
    }

    @Test
    void killMinus9RightAfterASendTheMailIsDeliveredByAnotherInstanceAndTheFlowCompletesOnAThird() {
        // A's SMTP server accepts the connection and then says nothing: A is mid-delivery when it is killed.
        // B and C start only then, so A is the one that claimed the message (they would race it otherwise).
        try (SilentServer hanging = new SilentServer();
             PackagedApp a = PackagedApp.start("fault-kill-a", config(Map.of(
                     "quarkus.mailer.port", Integer.toString(hanging.port()),
                     "dev.iris.mail.MailSender/send/Timeout/value", "60000")))) {
            String email = Api.uniqueEmail();
            a.api().createIdentity(email);
            String flow = a.api().newLoginFlow();
            a.api().send(flow, email).then().statusCode(400).body("state", equalTo("sent_email"));
            Poll.until(() -> hanging.connections() > 0, Duration.ofSeconds(10), "A to start delivering");
            a.kill();
            assertThat(count("SELECT count(*) FROM mail_outbox WHERE flow_id = '" + flow + "'"))
                    .as("the message A had claimed is still queued").isEqualTo(1);

            try (PackagedApp b = PackagedApp.start("fault-kill-b", config(Map.of()));
                 PackagedApp c = PackagedApp.start("fault-kill-c", config(Map.of()))) {
                LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(60)).get(0));
                Smtp.sleep(2_000);
                assertThat(Smtp.messagesTo(email)).as("at-least-once, at most one duplicate").hasSizeBetween(1, 2);
                c.api().redeemCode(flow, email, mail.code()).then().statusCode(200)
                        .body("session.identity.traits.email", equalTo(email));
                assertThat(count("SELECT count(*) FROM mail_outbox WHERE flow_id = '" + flow + "'")).isZero();
                assertThat(b.logText() + c.logText()).contains("audit mail.sent flow=" + flow);
            }
        }
    }

    @Test
    void smtpRefusingConnectionsForAMinuteUnderSteadyLoadLosesNothing() throws Exception {
        try (PackagedApp a = PackagedApp.start("fault-smtp-a", config(Map.of()));
             PackagedApp b = PackagedApp.start("fault-smtp-b", config(Map.of()))) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String email = Api.uniqueEmail();
                a.api().createIdentity(email);
                addresses.add(email);
            }
            Smtp.stop();
            List<Integer> statuses = new ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < addresses.size(); i++) { // one send every 2 s: a minute of steady load
                    Api api = (i % 2 == 0 ? a : b).api();
                    statuses.add(api.send(api.newLoginFlow(), addresses.get(i)).statusCode());
                    long due = start + Duration.ofSeconds(2L * (i + 1)).toNanos();
                    Smtp.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                }
                assertThat(metric(a, "ft_circuitbreaker_opened_total") + metric(b, "ft_circuitbreaker_opened_total"))
                        .as("the breaker opened").isGreaterThanOrEqualTo(1);
            } finally {
                Smtp.start();
            }
            assertThat(statuses).hasSize(addresses.size()).allMatch(status -> status == 400);
            for (String email : addresses) {
                Smtp.await(email, 1, Duration.ofSeconds(60));
            }
            assertThat(metric(a, "iris_mail_dead_lettered_total") + metric(b, "iris_mail_dead_lettered_total")).isZero();
        }
    }

    @Test
    void aRefusedRecipientIsDeadLetteredAtOnceNamingTheFlowNotTheAddress() {
        try (RefusingSmtp refusing = new RefusingSmtp();
             PackagedApp app = PackagedApp.start("fault-refused", config(Map.of(
                     "quarkus.mailer.port", Integer.toString(refusing.port()),
                     "iris.mail.max-attempts", "3")))) {
            String email = Api.uniqueEmail();
            app.api().createIdentity(email);
            String flow = app.api().newLoginFlow();
            app.api().send(flow, email).then().statusCode(400);

            Poll.until(() -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = '" + flow
                    + "' AND dead_at IS NOT NULL") == 1, Duration.ofSeconds(60), "the message to be dead-lettered");
            // 550 refuses this recipient for good (issue 16): no retries, no circuit-breaker count, first attempt.
            assertThat(count("SELECT attempts FROM mail_outbox WHERE flow_id = '" + flow + "'")).isEqualTo(1);
            assertThat(refusing.refusals()).isEqualTo(1);
            assertThat(metric(app, "iris_mail_dead_lettered_total")).isEqualTo(1);
            String log = app.logText();
            assertThat(log).contains("audit mail.dead_lettered flow=" + flow);
            String deadLine = log.lines().filter(line -> line.contains("mail.dead_lettered")).findFirst().orElseThrow();
            assertThat(deadLine).doesNotContain(email).doesNotContain(email.substring(email.indexOf('@')));
        }
    }

    @Test
    void redisRestartedEmptyInFlightFlowsEndCleanlyNewOnesWorkSessionsStillValidate() throws Exception {
        int port = Smtp.freePort();
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
        redis.start();
        try (PackagedApp app = PackagedApp.start("fault-redis", config(Map.of(
                "quarkus.redis.hosts", "redis://127.0.0.1:" + port)))) {
            Api api = app.api();
            String member = Api.uniqueEmail();
            api.createIdentity(member);
            String token = api.signIn(member);
            String inFlight = api.newLoginFlow();
            api.send(inFlight, Api.uniqueEmail()).then().statusCode(400);

            redis.stop();
            api.whoami(token).then().statusCode(200);
            api.request().get("/self-service/login/api").then().statusCode(503);
            Response refused = api.send(inFlight, Api.uniqueEmail());
            assertThat(refused.statusCode()).as("limits fail closed while Redis is down").isEqualTo(503);
            assertThat(refused.<String>path("error.id")).isIn("rate_limiter_unavailable", "flow_store_unavailable");

            redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
            redis.start(); // empty: every flow, counter and cached session is gone
            Poll.until(() -> api.request().get("/self-service/login/api").statusCode() == 200,
                    Duration.ofSeconds(20), "new flows to work again");
            api.request().queryParam("id", inFlight).get("/self-service/login/flows").then().statusCode(404)
                    .body("error.id", equalTo("not_found"));
            api.send(api.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
            api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(member));
            api.request().header("X-Session-Token", token).get("/sessions").then().statusCode(200);
        } finally {
            redis.stop();
        }
    }

    @Test
    void postgresRestartedMeans503ThenRecoveryAndNothingHalfWritten() throws Exception {
        // A dedicated Postgres this test stops and starts again on the same port and data directory.
        Path data = Files.createTempDirectory("iris-fault-pg");
        int port = Smtp.freePort();
        EmbeddedPostgres postgres = startPostgres(port, data);
        String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (PackagedApp app = PackagedApp.start("fault-postgres", config(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", jdbc,
                "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "postgres")))) {
            Api api = app.api();
            String member = Api.uniqueEmail();
            api.createIdentity(member);

            postgres.close(); // pg_ctl stop: every connection ends, new ones are refused
            Poll.until(() -> api.request().get("/q/health/ready").statusCode() == 503, Duration.ofSeconds(20),
                    "readiness to go DOWN");
            String flow = api.newLoginFlow(); // flows live in Redis, which is still there
            Response send = api.send(flow, member);
            assertThat(send.statusCode()).isEqualTo(503);
            assertThat(send.<String>path("error.id")).isNotBlank();
            assertThat(send.asString()).doesNotContain("Exception");
            api.admin().contentType("application/json")
                    .body(Map.of("traits", Map.of("email", Api.uniqueEmail())))
                    .post("/admin/identities").then().statusCode(503);

            postgres = startPostgres(port, data);
            Poll.until(() -> api.request().get("/q/health/ready").statusCode() == 200, Duration.ofSeconds(60),
                    "readiness to come back UP");
            String token = api.signIn(member);
            api.whoami(token).then().statusCode(200);

            // Nothing half-written by the send that failed: no code, no queued mail, and the flow does not claim
            // that an email went out; no session without its identity.
            assertThat(count(jdbc, "SELECT count(*) FROM login_codes WHERE flow_id = '" + flow + "'")).isZero();
            assertThat(count(jdbc, "SELECT count(*) FROM mail_outbox WHERE flow_id = '" + flow + "'")).isZero();
            api.request().queryParam("id", flow).get("/self-service/login/flows").then().statusCode(200)
                    .body("state", equalTo("choose_method"));
            assertThat(count(jdbc, "SELECT count(*) FROM sessions s LEFT JOIN identities i ON i.id = s.identity_id "
                    + "WHERE i.id IS NULL")).isZero();
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres startPostgres(int port, Path data) throws java.io.IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    @Test
    void sigtermUnderLoadFinishesInFlightRequestsAndHandsTheMailOver() throws Exception {
        try (PackagedApp a = PackagedApp.start("fault-term-a", config(Map.of()));
             PackagedApp b = PackagedApp.start("fault-term-b", config(Map.of()))) {
            String member = Api.uniqueEmail();
            a.api().createIdentity(member);
            String token = a.api().signIn(member);
            java.util.Queue<String> known = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int i = 0; i < 150; i++) { // known addresses, so every accepted send must end in an email
                String email = Api.uniqueEmail();
                b.api().createIdentity(email);
                known.add(email);
            }
            List<String> sentTo = Collections.synchronizedList(new ArrayList<>());
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(4);
            for (int worker = 0; worker < 4; worker++) {
                PackagedApp target = worker % 2 == 0 ? a : b;
                boolean sends = worker < 2;
                load.submit(() -> {
                    while (running.get()) {
                        try {
                            String email = sends ? known.poll() : null;
                            if (email != null) {
                                Api api = target.api();
                                Response created = api.request().get("/self-service/login/api");
                                statuses.add(created.statusCode());
                                if (created.statusCode() == 200) {
                                    int status = api.send(created.path("id"), email).statusCode();
                                    statuses.add(status);
                                    if (status == 400) {
                                        sentTo.add(email);
                                    }
                                }
                            } else {
                                statuses.add(target.api().whoami(token).statusCode()); // (also once sends run out)
                            }
                        } catch (Exception refused) {
                            // connection refused once A has closed its port: what a load balancer retries
                        }
                    }
                    return null;
                });
            }
            Smtp.sleep(3_000);
            a.terminate();
            assertThat(a.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isIn(0, 143);
            Smtp.sleep(2_000);
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(statuses).isNotEmpty().noneMatch(status -> status >= 500);
            assertThat(sentTo).isNotEmpty();
            for (String email : new ArrayList<>(sentTo)) {
                Smtp.await(email, 1, Duration.ofSeconds(60));
            }
        }
    }

    private static long metric(PackagedApp app, String name) {
        String text = app.api().request().get("/q/metrics").asString();
        return Math.round(text.lines().filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private static long count(String sql) {
        return count(PackagedApp.jdbcUrl(), PackagedApp.dbUser(), PackagedApp.dbPassword(), sql);
    }

    private static long count(String jdbc, String sql) {
        return count(jdbc, "postgres", "postgres", sql);
    }

    private static long count(String jdbc, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
