package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.SentLogin;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class LoginFlowTest {

    @Inject
    TestClock clock;

    private Api api;

    @BeforeEach
    void setUp() {
        api = Api.local();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void createdFlowOffersTheCodeMethod() {
        api.request().get("/self-service/login/api").then().statusCode(200)
                .body("type", equalTo("api"))
                .body("state", equalTo("choose_method"))
                .body("requested_aal", equalTo("aal1"))
                .body("ui.method", equalTo("POST"))
                .body("ui.action", org.hamcrest.Matchers.containsString("/self-service/login?flow="))
                .body("ui.nodes.attributes.name", hasItem("identifier"))
                .body("ui.nodes.find { it.attributes.name == 'method' }.attributes.value", equalTo("code"));
    }

    @Test
    void knownUserSignsInWithTheCodeChecksWhoamiAndLogsOut() {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String flow = api.newLoginFlow();

        api.send(flow, email).then().statusCode(400)
                .body("id", equalTo(flow))
                .body("state", equalTo("sent_email"))
                .body("active", equalTo("code"))
                .body("ui.messages[0].id", equalTo(1010014))
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.attributes.type", equalTo("hidden"))
                .body("ui.nodes.find { it.attributes.name == 'code' }.attributes.autocomplete",
                        equalTo("one-time-code"))
                .body("ui.nodes.find { it.attributes.name == 'resend' }.attributes.value", equalTo("code"));

        LoginMail mail = Smtp.awaitLogin(email);
        assertThat(mail.subject()).isEqualTo("Your sign-in link");
        assertThat(mail.text()).contains("Click below to sign in to Iris:")
                .contains("OR enter this code on the device you started signing in:")
                .contains("This link expires in 15 minutes.");
        assertThat(mail.html()).contains(mail.code()).contains("/login?flow=" + flow + "&amp;code=")
                .startsWith("<!DOCTYPE html> <html lang=\"en\"> <head>");
        // The HTML goes out as a few joined lines (one socket write each), none over SMTP's 998 characters.
        assertThat(mail.html().lines().toList()).hasSizeBetween(1, 5).allMatch(line -> line.length() <= 998);
        assertThat(mail.flowId()).isEqualTo(flow);

        Response signedIn = api.redeemCode(flow, email, mail.code());
        signedIn.then().statusCode(200)
                .body("session_token", notNullValue())
                .body("session.active", equalTo(true))
                .body("session.authenticator_assurance_level", equalTo("aal1"))
                .body("session.authentication_methods[0].method", equalTo("code"))
                .body("session.identity.id", equalTo(identityId))
                .body("session.identity.traits.email", equalTo(email))
                .body("session.identity.verifiable_addresses[0].verified", equalTo(true))
                .body("session.devices[0].ip_address", notNullValue());
        String token = signedIn.path("session_token");

        api.whoami(token).then().statusCode(200)
                .header("X-Kratos-Authenticated-Identity-Id", identityId)
                .body("id", equalTo(signedIn.path("session.id")))
                .body("identity.traits.email", equalTo(email));
        api.request().header("Authorization", "Bearer " + token).get("/sessions/whoami").then().statusCode(200);

        api.logout(token).then().statusCode(204);
        api.whoami(token).then().statusCode(401).body("error.id", equalTo("session_inactive"));
        api.logout(token).then().statusCode(204);
    }

    @Test
    void linkTokenSignsInFromAFreshClientWithoutTheIdentifier() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();

        Api otherDevice = Api.local();
        otherDevice.redeemLink(mail.flowId(), mail.linkToken()).then().statusCode(200)
                .body("session.authentication_methods[0].method", equalTo("code"))
                .body("session.identity.traits.email", equalTo(email));
        otherDevice.redeemLink(mail.flowId(), mail.linkToken()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
        api.redeemCode(flow, email, mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
    }

    @Test
    void threeWrongCodesExhaustTheFlowEvenForTheRightCode() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        String code = sent.mail().code();
        String wrong = code.equals("000000") ? "111111" : "000000";

        for (int i = 0; i < 3; i++) {
            api.redeemCode(flow, email, wrong).then().statusCode(400)
                    .body("ui.messages[0].id", equalTo(4010008));
        }
        api.redeemCode(flow, email, code).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000001))
                .body("ui.messages[0].text", equalTo("The request was submitted too often. Please request another code."));
    }

    @Test
    void resendDoesNotResetTheAttemptBudget() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        Smtp.await(email, 1, Duration.ofSeconds(20));
        api.redeemCode(flow, email, "000001").then().statusCode(400);
        api.redeemCode(flow, email, "000002").then().statusCode(400);
        api.redeemCode(flow, email, "000003").then().statusCode(400);

        api.resend(flow, email).then().statusCode(400).body("ui.messages[0].id", equalTo(4000001));
        api.redeemCode(flow, email, Smtp.awaitLogin(email).code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000001));
        Smtp.sleep(500);
        assertThat(Smtp.messagesTo(email)).as("a dead flow sends nothing more").hasSize(1);
    }

    @Test
    void expiredCodeIsRefused() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();

        clock.advance(Duration.ofMinutes(16));
        api.redeemCode(flow, email, mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
        api.redeemLink(flow, mail.linkToken()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
    }

    @Test
    void resendKillsTheOldCodeAndLinkAndTheNewCodeWorks() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail first = sent.mail();
        clock.advance(Duration.ofSeconds(61));
        api.resend(flow, email).then().statusCode(400).body("state", equalTo("sent_email"));
        LoginMail second = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(20)).get(1));
        assertThat(second.linkToken()).isNotEqualTo(first.linkToken());

        api.redeemCode(flow, email, first.code()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        api.redeemLink(flow, first.linkToken()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        api.redeemCode(flow, email, second.code()).then().statusCode(200);
    }

    @Test
    void resendKillsTheOldLinkAndTheNewLinkWorks() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail first = sent.mail();
        clock.advance(Duration.ofSeconds(61));
        api.resend(flow, email).then().statusCode(400);
        LoginMail second = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(20)).get(1));

        api.redeemLink(flow, first.linkToken()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        api.redeemLink(flow, second.linkToken()).then().statusCode(200);
    }

    @Test
    void sixDigitCodeNeedsTheFlowsOwnIdentifier() {
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();

        api.submit(flow, Map.of("method", "code", "code", mail.code())).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.messages[0].id", equalTo(4000002));
        api.redeemCode(flow, Api.uniqueEmail(), mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
        api.redeemCode(flow, email.toUpperCase(), mail.code()).then().statusCode(200);
    }

    @Test
    void codeFromAnotherFlowDoesNotWorkHere() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flowA = api.newLoginFlow();
        String flowB = api.newLoginFlow();
        api.send(flowA, email).then().statusCode(400);
        LoginMail mailA = Smtp.awaitLogin(email);
        api.send(flowB, email).then().statusCode(400);
        Smtp.await(email, 2, Duration.ofSeconds(20));

        api.redeemCode(flowB, email, mailA.code()).then().statusCode(400);
        api.redeemLink(flowB, mailA.linkToken()).then().statusCode(400);
        api.redeemLink(flowA, mailA.linkToken()).then().statusCode(200);
    }

    @Test
    void fetchingFlowsUnknownMalformedAndExpired() {
        String flow = api.newLoginFlow();
        api.request().queryParam("id", flow).get("/self-service/login/flows").then().statusCode(200)
                .body("id", equalTo(flow));
        api.request().queryParam("id", java.util.UUID.randomUUID().toString()).get("/self-service/login/flows")
                .then().statusCode(404).body("error.id", equalTo("not_found"));
        api.request().queryParam("id", "not-a-uuid").get("/self-service/login/flows")
                .then().statusCode(404).body("error.id", equalTo("not_found"));
        api.request().get("/self-service/login/flows").then().statusCode(400);

        clock.advance(Duration.ofMinutes(61));
        Response expired = api.request().queryParam("id", flow).get("/self-service/login/flows");
        expired.then().statusCode(410).body("error.id", equalTo("self_service_flow_expired"))
                .body("use_flow_id", notNullValue());
        api.request().queryParam("id", expired.<String>path("use_flow_id")).get("/self-service/login/flows")
                .then().statusCode(200);
        api.send(flow, Api.uniqueEmail()).then().statusCode(410);
    }

    @Test
    void aSignedInCallerMustAskForRefresh() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);

        api.request().header("X-Session-Token", token).get("/self-service/login/api").then().statusCode(400)
                .body("error.id", equalTo("session_already_available"));
        api.request().header("X-Session-Token", token).queryParam("refresh", true).get("/self-service/login/api")
                .then().statusCode(200).body("refresh", equalTo(true));
        api.request().header("X-Session-Token", "ory_st_bogus").get("/self-service/login/api").then().statusCode(200);
    }

    @Test
    void invalidIdentifiersAnswerTheFlowWithAFieldMessage() {
        String flow = api.newLoginFlow();
        api.submit(flow, Map.of("method", "code")).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.messages[0].id", equalTo(4000002));
        api.send(flow, "not-an-address").then().statusCode(400)
                .body("state", equalTo("choose_method"))
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.messages[0].id", equalTo(4000004));
        api.submit(flow, Map.of("identifier", "a@example.com")).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'method' }.messages[0].id", equalTo(4000002));
        api.submit(flow, Map.of("method", "password", "identifier", "a@example.com")).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010002)); // Kratos's ErrorValidationLoginNoStrategyFound
    }
}
