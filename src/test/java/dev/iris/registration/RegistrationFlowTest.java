package dev.iris.registration;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class RegistrationFlowTest {

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private final Api api = Api.local();

    /**
     * A sign-up's code proves the address it was mailed to, not the flow's latest: a resend to another address whose
     * send quota is spent (nothing issued) and then the first address's code or link must not create an account for
     * the second (the review reproduced a verified account for a victim's address, with its session).
     */
    @Test
    void aCodeMailedToOneAddressNeverSignsUpAnother() {
        String second = Api.uniqueEmail();
        String victim = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, second).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(second);
        api.spendSendQuota(victim);
        clock.advance(Duration.ofSeconds(61));
        api.register(flow, Map.of("method", "code", "resend", "code", "traits", Map.of("email", victim)))
                .then().statusCode(400).body("state", equalTo("sent_email"));
        api.completeSignUp(flow, victim, mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4040003));
        api.register(flow, Map.of("method", "code", "code", mail.linkToken())).then().statusCode(400);
        assertThat(pool.preparedQuery("SELECT count(*) FROM identities WHERE email = $1").execute(Tuple.of(victim))
                .await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void createdFlowAsksForTheEmailTrait() {
        api.request().get("/self-service/registration/api").then().statusCode(200)
                .body("type", equalTo("api"))
                .body("state", equalTo("choose_method"))
                .body("ui.action", org.hamcrest.Matchers.containsString("/self-service/registration?flow="))
                .body("ui.nodes.attributes.name", hasItem("traits.email"));
    }

    @Test
    void newAddressSignsUpWithTheCode() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400)
                .body("state", equalTo("sent_email"))
                .body("ui.messages[0].id", equalTo(1040005))
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.attributes.value", equalTo(email));
        LoginMail mail = Smtp.awaitLogin(email);
        assertThat(mail.subject()).isEqualTo("Your sign-up link");
        assertThat(mail.link()).contains("/registration?flow=" + flow + "&code=");
        assertThat(identities(email)).isZero();

        Response done = api.completeSignUp(flow, email, mail.code());
        done.then().statusCode(200)
                .body("identity.traits.email", equalTo(email))
                .body("identity.verifiable_addresses[0].verified", equalTo(true))
                .body("identity.verifiable_addresses[0].status", equalTo("completed"))
                .body("session_token", notNullValue())
                .body("session.identity.id", equalTo(done.<String>path("identity.id")))
                .body("session.authentication_methods[0].method", equalTo("code"));
        api.whoami(done.path("session_token")).then().statusCode(200).body("identity.traits.email", equalTo(email));
        assertThat(identities(email)).isOne();
    }

    @Test
    void newAddressSignsUpWithTheLinkFromAFreshClient() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);

        Response done = Api.local().register(mail.flowId(), Map.of("method", "code", "code", mail.linkToken()));
        done.then().statusCode(200).body("identity.verifiable_addresses[0].verified", equalTo(true));
        Api.local().whoami(done.path("session_token")).then().statusCode(200);
        api.completeSignUp(flow, email, mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4040003));
    }

    @Test
    void existingAddressGetsTheSameAnswerAndAnEmailThatSignsIn() {
        String existing = Api.uniqueEmail();
        String identityId = api.createIdentity(existing);
        String fresh = Api.uniqueEmail();

        Response existingAnswer = api.signUp(api.newRegistrationFlow(), existing);
        Response freshAnswer = api.signUp(api.newRegistrationFlow(), fresh);
        assertThat(existingAnswer.statusCode()).isEqualTo(freshAnswer.statusCode());
        assertThat(JsonShape.of(existingAnswer.jsonPath().getMap("")))
                .isEqualTo(JsonShape.of(freshAnswer.jsonPath().getMap("")));

        LoginMail mail = Smtp.awaitLogin(existing);
        assertThat(mail.subject()).isEqualTo("You already have an account");
        assertThat(mail.text()).contains("you already have an account");
        Response signedIn = Api.local().register(mail.flowId(), Map.of("method", "code", "code", mail.linkToken()));
        signedIn.then().statusCode(200).body("identity.id", equalTo(identityId))
                .body("session.identity.id", equalTo(identityId));
        assertThat(identities(existing)).isOne();
    }

    @Test
    void changedTraitsWrongCodesAndResend() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400);
        LoginMail first = Smtp.awaitLogin(email);

        api.completeSignUp(flow, Api.uniqueEmail(), first.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000036));
        api.completeSignUp(flow, email, first.code().equals("000000") ? "000001" : "000000").then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4040003));
        clock.advance(Duration.ofSeconds(61));
        api.register(flow, Map.of("method", "code", "resend", "code", "traits", Map.of("email", email)))
                .then().statusCode(400).body("ui.messages[0].id", equalTo(1040005));
        LoginMail second = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(20)).get(1));
        api.completeSignUp(flow, email, first.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4040003));
        api.completeSignUp(flow, email, second.code()).then().statusCode(200);
    }

    @Test
    void sixDigitCodeNeedsTheTraits() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        api.register(flow, Map.of("method", "code", "code", mail.code())).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id", equalTo(4000002));
        api.completeSignUp(flow, email, mail.code()).then().statusCode(200);
    }

    @Test
    void flowsOfOneKindAreNotFoundThroughTheOther() {
        String registration = api.newRegistrationFlow();
        api.request().queryParam("id", registration).get("/self-service/login/flows").then().statusCode(404);
        api.send(registration, Api.uniqueEmail()).then().statusCode(404);
        api.request().queryParam("id", registration).get("/self-service/registration/flows").then().statusCode(200);
    }

    @Test
    void twoConcurrentSignUpsForOneAddressMakeOneIdentity() throws Exception {
        String email = Api.uniqueEmail();
        String flowA = api.newRegistrationFlow();
        String flowB = api.newRegistrationFlow();
        api.signUp(flowA, email).then().statusCode(400);
        LoginMail mailA = Smtp.awaitLogin(email);
        api.signUp(flowB, email).then().statusCode(400);
        LoginMail mailB = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(20)).get(1));

        List<Response> answers = Race.run(2, new java.util.concurrent.Callable<>() {
            private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public Response call() {
                return n.getAndIncrement() == 0 ? Api.local().completeSignUp(flowA, email, mailA.code())
                        : Api.local().completeSignUp(flowB, email, mailB.code());
            }
        });

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isLessThan(500));
        assertThat(identities(email)).isOne();
        List<String> signedInto = answers.stream().filter(r -> r.statusCode() == 200)
                .map(r -> r.<String>path("identity.id")).distinct().toList();
        assertThat(signedInto).as("every completion lands on the one identity").hasSize(1);
    }

    /** Design rule 3 on the sign-up path: the guarded consume runs in the transaction that creates the identity. */
    @Test
    void parallelSignUpCompletionsOfOneCodeExactlyOneWins() throws Exception {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);

        List<Integer> statuses = Race.run(16, () -> api.completeSignUp(flow, email, mail.code()).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 400).hasSize(15);
        assertThat(identities(email)).isOne();
    }

    @Test
    void expiredSignUpCodeIsRefused() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);

        clock.advance(Duration.ofMinutes(16));
        api.completeSignUp(flow, email, mail.code()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4040003));
        assertThat(identities(email)).isZero();
    }

    private long identities(String email) {
        return pool.preparedQuery("SELECT count(*) FROM identities WHERE email = $1").execute(Tuple.of(email))
                .await().indefinitely().iterator().next().getLong(0);
    }
}
