package dev.iris.ratelimit;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.SentLogin;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The abuse limits with their defaults, each client told apart by its (trusted) X-Forwarded-For. */
@QuarkusTest
class AbuseProtectionTest {

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void sixthSendFromOneIpIsRefusedOtherIpsAreNot() {
        Api attacker = Api.local();
        for (int i = 0; i < 5; i++) {
            attacker.send(attacker.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        Response refused = attacker.send(attacker.newLoginFlow(), Api.uniqueEmail());
        refused.then().statusCode(429)
                .body("error.id", equalTo("self_service_flow_rate_limited"))
                .body("error.code", equalTo(429));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 300);

        Api bystander = Api.local();
        bystander.send(bystander.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        attacker.send(attacker.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
    }

    @Test
    void sixthSendToOneAddressLooksTheSameButSendsNothing() {
        String email = Api.uniqueEmail();
        Api.local().createIdentity(email);
        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Api client = Api.local();
            answers.add(client.send(client.newLoginFlow(), email));
        }
        for (Response answer : answers) {
            answer.then().statusCode(400);
            assertThat(JsonShape.of(answer.jsonPath().getMap("")))
                    .isEqualTo(JsonShape.of(answers.get(0).jsonPath().getMap("")));
        }
        Smtp.await(email, 5, Duration.ofSeconds(20));
        Smtp.sleep(1_500);
        assertThat(Smtp.messagesTo(email)).hasSize(5);
    }

    @Test
    void resendInsideTheCooldownIs429WithTheWaitAndTheFlowSaysWhen() {
        Api api = Api.local();
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        Instant resendAt = Instant.parse(api.request().queryParam("id", sent.flow()).get("/self-service/login/flows")
                .then().statusCode(200).body("ui.messages[0].id", equalTo(1010014))
                .extract().path("ui.messages[0].context.resend_at"));
        assertThat(resendAt).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(61));

        clock.advance(Duration.ofSeconds(10));
        Response early = api.resend(sent.flow(), sent.email());
        early.then().statusCode(429).body("error.id", equalTo("self_service_flow_rate_limited"));
        assertThat(Integer.parseInt(early.header("Retry-After"))).isBetween(49, 51);

        clock.advance(Duration.ofSeconds(51));
        api.resend(sent.flow(), sent.email()).then().statusCode(400).body("ui.messages[0].id", equalTo(1010014));
        Smtp.await(sent.email(), 2, Duration.ofSeconds(20));
    }

    @Test
    void tooEarlyResendsCostTheIpNothing() {
        Api client = Api.local();
        String email = Api.uniqueEmail();
        String flow = client.newLoginFlow();
        client.send(flow, email).then().statusCode(400);
        for (int i = 0; i < 8; i++) {
            client.resend(flow, email).then().statusCode(429);
        }
        for (int i = 0; i < 4; i++) {
            client.send(client.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        client.send(client.newLoginFlow(), Api.uniqueEmail()).then().statusCode(429);
    }

    @Test
    void aSendTheIpLimitRefusesLeavesTheFlowsCooldownAsItWas() {
        Api attacker = Api.local();
        for (int i = 0; i < 5; i++) {
            attacker.send(attacker.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        String flow = attacker.newLoginFlow();
        String email = Api.uniqueEmail();
        attacker.send(flow, email).then().statusCode(429);

        // The refused send started no cooldown: the flow's next send (from another network) goes out at once.
        Api.local().send(flow, email).then().statusCode(400).body("ui.messages[0].id", equalTo(1010014));
        Api.local().resend(flow, email).then().statusCode(429); // and that one did start it
    }

    @Test
    void tooManyWrongCodesForOneAddressLockCodesButNotLinks() {
        Api api = Api.local();
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        int failures = 0;
        int mails = 0;
        while (failures < 11) {
            Api client = Api.local();
            String flow = client.newLoginFlow();
            client.send(flow, email).then().statusCode(400);
            mails++;
            LoginMail mail = LoginMail.parse(Smtp.await(email, mails, Duration.ofSeconds(20)).get(mails - 1));
            String wrong = mail.code().equals("000000") ? "000001" : "000000";
            for (int i = 0; i < 3 && failures < 11; i++, failures++) {
                client.redeemCode(flow, email, wrong).then().statusCode(400);
            }
            clock.advance(Duration.ofMinutes(6)); // keep the per-IP and per-address send windows out of the way
        }

        Api user = Api.local();
        String flow = user.newLoginFlow();
        user.send(flow, email).then().statusCode(400);
        LoginMail fresh = LoginMail.parse(Smtp.await(email, mails + 1, Duration.ofSeconds(20)).get(mails));
        user.redeemCode(flow, email, fresh.code()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        user.redeemLink(flow, fresh.linkToken()).then().statusCode(200);

        clock.advance(Duration.ofMinutes(61));
        Api later = Api.local();
        String next = later.newLoginFlow();
        later.send(next, email).then().statusCode(400);
        LoginMail afterWindow = LoginMail.parse(Smtp.await(email, mails + 2, Duration.ofSeconds(20)).get(mails + 1));
        later.redeemCode(next, email, afterWindow.code()).then().statusCode(200);
    }

    @Test
    void thirtyFailedRedemptionsFromOneIpAre429() {
        Api attacker = Api.local();
        String flow = null;
        for (int i = 0; i < 30; i++) {
            if (i % 3 == 0) {
                flow = attacker.newLoginFlow();
            }
            attacker.redeemLink(flow, "A".repeat(43)).then().statusCode(400);
        }
        Response refused = attacker.redeemLink(attacker.newLoginFlow(), "A".repeat(43));
        refused.then().statusCode(429).body("error.id", equalTo("self_service_flow_rate_limited"));
        assertThat(refused.header("Retry-After")).isNotNull();
        Api.local().redeemLink(Api.local().newLoginFlow(), "A".repeat(43)).then().statusCode(400);
    }
}
