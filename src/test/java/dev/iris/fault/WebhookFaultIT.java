package dev.iris.fault;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.WebhookReceiver;
import dev.iris.testsupport.WebhookReceiver.Answer;
import dev.iris.testsupport.WebhookReceiver.Received;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook delivery under faults, with packaged instances (real processes), real Postgres and a real receiver that
 * checks every signature itself: the receiver down for a minute, an instance killed mid-delivery, Postgres restarted.
 */
@Tag("fault")
class WebhookFaultIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static Map<String, String> endpoint(WebhookReceiver receiver, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "iris.events.endpoints.ops.url", receiver.url("/ops"),
                "iris.events.endpoints.ops.secret", SECRET,
                "iris.events.endpoints.ops.events", "identity.created",
                "iris.events.poll-interval", "300ms",
                "iris.events.backoff-initial", "1s",
                "iris.events.backoff-max", "5s",
                "iris.events.lease", "4s"));
        config.putAll(extra);
        return config;
    }

    @Test
    void aReceiverDownForAMinuteGetsEveryEventOnceItIsBack() {
        try (WebhookReceiver receiver = new WebhookReceiver();
             PackagedApp app = PackagedApp.start("webhook-down", endpoint(receiver, Map.of()))) {
            receiver.answer(503);
            List<String> identities = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                identities.add(app.api().createIdentity(Api.uniqueEmail()));
            }
            Poll.until(() -> receiver.all().stream().filter(r -> r.answered() == 503).count() >= 20,
                    Duration.ofSeconds(30), "every event tried while the receiver is down");
            Smtp.sleep(60_000);
            receiver.answer(204);
            Poll.until(() -> identities.stream().allMatch(id -> deliveredOnce(receiver, id)), Duration.ofSeconds(60),
                    "every event delivered once the receiver is back");
            Smtp.sleep(3_000);
            for (String id : identities) {
                assertThat(receiver.all().stream().filter(r -> r.body().contains(id) && r.answered() == 204))
                        .as("taken once, never sent again").hasSize(1);
            }
            assertThat(receiver.all()).allMatch(r -> WebhookReceiver.signedWith(r, SECRET));
        }
    }

    @Test
    void anInstanceKilledMidDeliveryLeavesItToAnother() {
        AtomicBoolean hang = new AtomicBoolean(true);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.respondWith(body -> hang.get() ? new Answer(204, null, 20_000) : new Answer(204, null, 0));
            String identity;
            try (PackagedApp a = PackagedApp.start("webhook-kill-a", endpoint(receiver,
                    Map.of("iris.events.endpoints.ops.timeout", "60s")))) {
                identity = a.api().createIdentity(Api.uniqueEmail());
                Poll.until(() -> receiver.all().stream().anyMatch(r -> r.body().contains(identity)),
                        Duration.ofSeconds(10), "A to start delivering");
                a.kill(); // mid-delivery: the receiver is still holding A's request
            }
            hang.set(false);
            try (PackagedApp b = PackagedApp.start("webhook-kill-b", endpoint(receiver, Map.of()))) {
                Poll.until(() -> receiver.all().stream().filter(r -> r.body().contains(identity)).count() >= 2,
                        Duration.ofSeconds(30), "B to deliver what A had claimed, once A's lease ran out");
                assertThat(b.logText()).contains("audit webhook.delivered endpoint=ops");
                List<Received> both = receiver.all().stream().filter(r -> r.body().contains(identity)).toList();
                assertThat(both.get(0).id()).as("the same webhook-id: the receiver can drop the repeat")
                        .isEqualTo(both.get(1).id());
            }
        }
    }

    @Test
    void postgresRestartedLosesNoEvent() throws Exception {
        Path data = Files.createTempDirectory("iris-webhook-pg");
        int port = Smtp.freePort();
        EmbeddedPostgres postgres = start(port, data);
        try (WebhookReceiver receiver = new WebhookReceiver();
             PackagedApp app = PackagedApp.start("webhook-postgres", endpoint(receiver, Map.of(
                     "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                     "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                     "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "postgres")))) {
            receiver.answer(503);
            List<String> identities = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                identities.add(app.api().createIdentity(Api.uniqueEmail()));
            }
            Poll.until(() -> receiver.all().size() >= 5, Duration.ofSeconds(20), "the events tried once");
            postgres.close();
            Poll.until(() -> app.api().request().get("/q/health/ready").statusCode() == 503, Duration.ofSeconds(20),
                    "readiness to go DOWN");
            postgres = start(port, data);
            Poll.until(() -> app.api().request().get("/q/health/ready").statusCode() == 200, Duration.ofSeconds(60),
                    "readiness to come back UP");
            receiver.answer(204);
            Poll.until(() -> identities.stream().allMatch(id -> deliveredOnce(receiver, id)), Duration.ofSeconds(60),
                    "every event delivered after the restart");
        } finally {
            postgres.close();
        }
    }

    private static boolean deliveredOnce(WebhookReceiver receiver, String identityId) {
        return receiver.all().stream().anyMatch(r -> r.body().contains(identityId) && r.answered() == 204);
    }

    private static EmbeddedPostgres start(int port, Path data) throws java.io.IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }
}
