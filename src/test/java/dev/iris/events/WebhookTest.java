package dev.iris.events;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.WebhookReceiver;
import dev.iris.testsupport.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks end to end against a real receiver (an HTTP server this test starts), which checks every signature with
 * its own HMAC code: the events of a sign-in, a logout, a deletion; endpoint filters; a receiver that is down and
 * comes back; the admin API's list, replay and test event; and that an event exists only if its change committed.
 */
@QuarkusTest
@TestProfile(WebhookTest.WithEndpoints.class)
class WebhookTest {

    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String NEW_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    static final int CLOSED_PORT = dev.iris.testsupport.Smtp.freePort();
    /** An endpoint that takes 20 s to answer each delivery: it must hold up nobody else. */
    static final WebhookReceiver SLOW = new WebhookReceiver();

    static {
        SLOW.respondWith(body -> new WebhookReceiver.Answer(204, null, 20_000));
    }

    public static class WithEndpoints implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("iris.events.endpoints.audit.url", RECEIVER.url("/audit")),
                    Map.entry("iris.events.endpoints.audit.secret", OLD_SECRET + "," + NEW_SECRET),
                    Map.entry("iris.events.endpoints.revocations.url", RECEIVER.url("/revocations")),
                    Map.entry("iris.events.endpoints.revocations.secret", NEW_SECRET),
                    Map.entry("iris.events.endpoints.revocations.events", "session.revoked"),
                    Map.entry("iris.events.endpoints.nowhere.url", "http://127.0.0.1:" + CLOSED_PORT + "/gone"),
                    Map.entry("iris.events.endpoints.nowhere.secret", NEW_SECRET),
                    Map.entry("iris.events.endpoints.nowhere.events", "identity.deleted"),
                    Map.entry("iris.events.endpoints.slow.url", SLOW.url("/slow")),
                    Map.entry("iris.events.endpoints.slow.secret", NEW_SECRET),
                    Map.entry("iris.events.endpoints.slow.events", "session.created"),
                    Map.entry("iris.events.endpoints.slow.max-concurrency", "1"),
                    Map.entry("iris.events.retry-for", "3s"),
                    Map.entry("iris.events.poll-interval", "100ms"),
                    Map.entry("iris.events.backoff-initial", "200ms"),
                    Map.entry("iris.events.backoff-max", "400ms"));
        }
    }

    @Inject
    Pool pool;

    private final Api api = Api.local();

    @AfterEach
    void up() {
        RECEIVER.answer(204);
    }

    @Test
    void aSignInsLifeIsDeliveredSignedWithBothSecretsAndWithoutSecrets() {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        api.logout(token).then().statusCode(204);

        Received created = awaitAudit("identity.created", identityId);
        Received session = awaitAudit("session.created", identityId);
        Received revoked = awaitAudit("session.revoked", identityId);
        for (Received r : List.of(created, session, revoked)) {
            assertThat(WebhookReceiver.signedWith(r, OLD_SECRET)).as("signed with the old secret").isTrue();
            assertThat(WebhookReceiver.signedWith(r, NEW_SECRET)).as("and with the new one").isTrue();
            assertThat(r.body()).as("no session token in any payload").doesNotContain(token);
            assertThat(Math.abs(Long.parseLong(r.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(60);
        }
        assertThat(data(created)).containsEntry("email", email);
        assertThat(data(session)).containsEntry("aal", "aal1").containsEntry("methods", List.of("code"));
        assertThat(data(revoked)).containsEntry("reason", "logout")
                .containsEntry("session_id", data(session).get("session_id"));
        Received filtered = RECEIVER.await(r -> r.path().equals("/revocations") && r.body().contains(identityId),
                Duration.ofSeconds(10));
        assertThat(WebhookReceiver.parse(filtered)).containsEntry("type", "session.revoked");
        assertThat(WebhookReceiver.signedWith(filtered, NEW_SECRET)).isTrue();
        assertThat(WebhookReceiver.signedWith(filtered, OLD_SECRET)).isFalse();
    }

    @Test
    void aDeletionEndsTheSessionsAndTheRevocationsEndpointGetsNothingElse() {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        awaitAudit("session.created", identityId);
        api.admin().delete("/admin/identities/" + identityId).then().statusCode(204);
        awaitAudit("identity.deleted", identityId);
        Received deleted = RECEIVER.await(r -> r.path().equals("/revocations") && r.body().contains(identityId),
                Duration.ofSeconds(10));
        assertThat(data(deleted)).containsEntry("reason", "deletion");
        assertThat(RECEIVER.all().stream().filter(r -> r.path().equals("/revocations"))
                .map(r -> WebhookReceiver.parse(r).get("type")).distinct().toList()).containsExactly("session.revoked");
        api.whoami(token).then().statusCode(401);
    }

    @Test
    void aFailedSignInIsAnEventWithoutTheCodeOrTheAddress() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        api.redeemCode(flow, email, "000000").then().statusCode(400);
        Received failed = RECEIVER.await(r -> r.path().equals("/audit") && r.body().contains(flow)
                && "login.failed".equals(WebhookReceiver.parse(r).get("type")), Duration.ofSeconds(10));
        assertThat(data(failed)).containsEntry("reason", "invalid_code").containsEntry("method", "code")
                .doesNotContainKey("email");
        assertThat(failed.body()).doesNotContain(email).doesNotContain("000000");
    }

    @Test
    void aReceiverDownForAWhileGetsTheEventOnceItIsBack() {
        RECEIVER.answer(503);
        String eventId = api.admin().post("/admin/webhooks/audit/test").then().statusCode(202)
                .extract().path("event_id");
        RECEIVER.await(r -> eventId.equals(r.id()) && r.answered() == 503
                && attempts(eventId) >= 2, Duration.ofSeconds(10));
        List<Map<String, Object>> pending = api.admin().queryParam("status", "pending")
                .get("/admin/webhooks/audit/deliveries").then().statusCode(200).extract().path("");
        assertThat(pending).anySatisfy(d -> {
            assertThat(d).containsEntry("event_id", eventId).containsEntry("last_status", 503);
            assertThat((Integer) d.get("attempts")).isGreaterThanOrEqualTo(2);
        });

        RECEIVER.answer(204);
        RECEIVER.await(r -> eventId.equals(r.id()) && r.answered() == 204, Duration.ofSeconds(10));
        sleep(1500); // several polls later: a delivery the receiver took is not sent again
        assertThat(RECEIVER.all().stream().filter(r -> eventId.equals(r.id()) && r.answered() == 204)).hasSize(1);
        List<Map<String, Object>> delivered = api.admin().queryParam("status", "delivered")
                .get("/admin/webhooks/audit/deliveries").then().statusCode(200).extract().path("");
        Map<String, Object> row = delivered.stream().filter(d -> eventId.equals(d.get("event_id"))).findFirst()
                .orElseThrow();
        assertThat(row).containsEntry("type", "webhook.test").containsEntry("last_status", 204);

        api.admin().post("/admin/webhooks/audit/deliveries/" + row.get("id") + "/replay").then().statusCode(202);
        RECEIVER.await(r -> RECEIVER.all().stream().filter(x -> eventId.equals(x.id()) && x.answered() == 204)
                .count() == 2, Duration.ofSeconds(10));
    }

    @Test
    void backupCodesRaiseTheSessionAndTheirLifeIsTwoEventsWhateverTheCodeCount() {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        String flow = api.newSettingsFlow(token);
        List<String> codes = settings(token, flow, Map.of("method", "lookup_secret", "lookup_secret_regenerate", true))
                .then().statusCode(200).extract().path(
                        "ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets.context.secret");
        settings(token, flow, Map.of("method", "lookup_secret", "lookup_secret_confirm", true)).then().statusCode(200);
        Received added = awaitAudit("second_factor.added", identityId);
        assertThat(data(added)).containsEntry("method", "lookup_secret");
        Received raised = awaitAudit("session.aal_raised", identityId);
        assertThat(data(raised)).containsEntry("aal", "aal2").containsEntry("previous_aal", "aal1");
        assertThat(codes).hasSize(12);

        String again = api.newSettingsFlow(token);
        settings(token, again, Map.of("method", "lookup_secret", "lookup_secret_disable", true)).then().statusCode(200);
        Received removed = awaitAudit("second_factor.removed", identityId);
        assertThat(data(removed)).containsEntry("method", "lookup_secret");
        sleep(500);
        assertThat(RECEIVER.all().stream().filter(r -> r.body().contains(identityId)
                && WebhookReceiver.parse(r).get("type").toString().startsWith("second_factor."))).hasSize(2);
    }

    @Test
    void anEndpointThatNeverAnswersEndsFailedAfterRetryForAndTheMetricsSaySo() {
        String identityId = api.createIdentity(Api.uniqueEmail());
        api.admin().delete("/admin/identities/" + identityId).then().statusCode(204);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<Map<String, Object>> failed = List.of();
        while (failed.isEmpty() && System.nanoTime() < deadline) {
            sleep(200);
            failed = api.admin().queryParam("status", "failed").get("/admin/webhooks/nowhere/deliveries").then()
                    .statusCode(200).extract().path("");
        }
        assertThat(failed).as("marked failed once retry-for (3 s) is over").isNotEmpty();
        assertThat(failed.get(0)).containsEntry("type", "identity.deleted")
                .containsEntry("last_error", "no answer (refused, reset or timed out)");
        assertThat((Integer) failed.get(0).get("attempts")).isGreaterThanOrEqualTo(2);
        String metrics = api.request().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("iris_webhook_failures_total{endpoint=\"nowhere\"}")
                .contains("iris_webhook_delivered_total{endpoint=\"audit\"}")
                .contains("iris_webhook_queue_depth{endpoint=\"audit\"}")
                .contains("iris_webhook_delivery_latency_seconds_count{endpoint=\"audit\"}");
    }

    private io.restassured.response.Response settings(String token, String flow, Map<String, ?> body) {
        return api.request().contentType(io.restassured.http.ContentType.JSON).header("X-Session-Token", token)
                .queryParam("flow", flow).body(body).post("/self-service/settings");
    }

    @Test
    void aSlowEndpointHoldsUpNeitherSignInsNorTheOtherEndpoints() {
        for (int i = 0; i < 3; i++) {
            String email = Api.uniqueEmail();
            String identityId = api.createIdentity(email);
            api.signIn(email);
            // The slow endpoint holds its one slot (max-concurrency 1) for 20 s, with more of its deliveries waiting;
            // the audit endpoint gets each event meanwhile.
            awaitAudit("session.created", identityId);
        }
        long audited = RECEIVER.all().stream().filter(r -> r.path().equals("/audit")
                && "session.created".equals(WebhookReceiver.parse(r).get("type"))).count();
        assertThat((long) SLOW.all().size()).as("the slow endpoint lags behind, one delivery per 20 s")
                .isLessThan(audited);
    }

    @Test
    void theAdminApiNamesOnlyConfiguredEndpointsAndChecksItsInput() {
        api.admin().get("/admin/webhooks/nobody/deliveries").then().statusCode(404);
        api.admin().post("/admin/webhooks/nobody/test").then().statusCode(404);
        api.admin().queryParam("status", "lost").get("/admin/webhooks/audit/deliveries").then().statusCode(400);
        api.admin().post("/admin/webhooks/audit/deliveries/not-a-uuid/replay").then().statusCode(400);
        api.admin().post("/admin/webhooks/audit/deliveries/" + UUID.randomUUID() + "/replay").then().statusCode(404);
        api.request().get("/admin/webhooks/audit/deliveries").then().statusCode(401);
    }

    @Test
    void anEventExistsOnlyIfItsChangeCommitted() {
        UUID id = UUID.randomUUID();
        String email = "rolled-back-" + id + "@example.com";
        long inside = pool.withTransaction(connection -> connection.preparedQuery("INSERT INTO identities (id, email, "
                                + "address_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())")
                        .execute(Tuple.of(id, email, UUID.randomUUID()))
                        .chain(() -> connection.preparedQuery("SELECT count(*) FROM events "
                                + "WHERE data ->> 'identity_id' = $1").execute(Tuple.of(id.toString())))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .chain(count -> Uni.createFrom().<Long>failure(new RolledBack(count))))
                .onFailure(RolledBack.class).recoverWithItem(failure -> ((RolledBack) failure).count)
                .await().atMost(Duration.ofSeconds(10));
        assertThat(inside).as("written with the change, in its transaction").isEqualTo(1);
        long after = pool.preparedQuery("SELECT count(*) FROM events WHERE data ->> 'identity_id' = $1")
                .execute(Tuple.of(id.toString())).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(after).as("gone with the rollback").isZero();
        sleep(500);
        assertThat(RECEIVER.all()).noneMatch(r -> r.body().contains(id.toString()));
    }

    private static final class RolledBack extends RuntimeException {
        final long count;

        RolledBack(long count) {
            super(null, null, false, false);
            this.count = count;
        }
    }

    private static long attempts(String eventId) {
        return RECEIVER.all().stream().filter(x -> eventId.equals(x.id())).count();
    }

    private static Received awaitAudit(String type, String identityId) {
        return RECEIVER.await(r -> r.path().equals("/audit") && identityId.equals(data(r).get("identity_id"))
                && type.equals(WebhookReceiver.parse(r).get("type")), Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Received r) {
        return (Map<String, Object>) WebhookReceiver.parse(r).get("data");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
