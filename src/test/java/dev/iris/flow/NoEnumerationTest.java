package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Design rule 1: an unknown address answers exactly like a known one and gets no email. */
@QuarkusTest
class NoEnumerationTest {

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void unknownAddressGetsTheSameStatusAndShapeAndNoEmail() {
        Api api = Api.local();
        String known = Api.uniqueEmail();
        String unknown = Api.uniqueEmail();
        api.createIdentity(known);
        String knownFlow = api.newLoginFlow();
        String unknownFlow = api.newLoginFlow();

        Response knownAnswer = api.send(knownFlow, known);
        Response unknownAnswer = api.send(unknownFlow, unknown);

        assertThat(unknownAnswer.statusCode()).isEqualTo(knownAnswer.statusCode()).isEqualTo(400);
        assertThat(unknownAnswer.contentType()).isEqualTo(knownAnswer.contentType());
        Map<String, Object> knownBody = knownAnswer.jsonPath().getMap("");
        Map<String, Object> unknownBody = unknownAnswer.jsonPath().getMap("");
        assertThat(JsonShape.of(unknownBody)).isEqualTo(JsonShape.of(knownBody));

        Smtp.awaitLogin(known);
        awaitOutboxSettled(UUID.fromString(unknownFlow));
        assertThat(Smtp.messagesTo(unknown)).isEmpty();
    }

    @Test
    void guessingCodesForAnUnknownAddressLooksLikeAWrongCode() {
        Api api = Api.local();
        String unknown = Api.uniqueEmail();
        String flow = api.newLoginFlow();
        api.send(flow, unknown).then().statusCode(400);
        api.redeemCode(flow, unknown, "123456").then().statusCode(400)
                .body("ui.messages[0].id", org.hamcrest.Matchers.equalTo(4010008));
    }

    @Test
    void bothPathsWriteOneCodeRowAndOneQueuedMessage() {
        Api api = Api.local();
        String known = Api.uniqueEmail();
        api.createIdentity(known);
        String knownFlow = api.newLoginFlow();
        String unknownFlow = api.newLoginFlow();
        api.send(knownFlow, known).then().statusCode(400);
        api.send(unknownFlow, Api.uniqueEmail()).then().statusCode(400);

        assertThat(count("SELECT count(*) FROM login_codes WHERE flow_id = $1", knownFlow)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM login_codes WHERE flow_id = $1", unknownFlow)).isEqualTo(1);
    }

    /**
     * Timing after the answer: the worker decrypts and renders a sign-in email for an unknown address too (and drops
     * it), so the work following a send does not depend on whether the address has an account. Before, an unknown
     * address's row was deleted without being opened: the counter never moved.
     */
    @Test
    void theWorkerRendersForAnUnknownAddressToo() {
        double before = registry.counter("iris.mail.rendered", "template", "login_unknown").count();
        Api api = Api.local();
        String flow = api.newLoginFlow();
        api.send(flow, Api.uniqueEmail()).then().statusCode(400);
        awaitOutboxSettled(UUID.fromString(flow));
        assertThat(registry.counter("iris.mail.rendered", "template", "login_unknown").count()).isGreaterThan(before);
    }

    private void awaitOutboxSettled(UUID flowId) {
        Poll.until(() -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = $1", flowId.toString()) == 0,
                Duration.ofSeconds(10), "the outbox row of " + flowId + " to be processed");
    }

    private long count(String sql, String flowId) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(flowId))).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
