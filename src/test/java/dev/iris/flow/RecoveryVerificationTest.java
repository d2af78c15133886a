package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Recovery and verification flows over the api (Kratos's shapes, method {@code code}): recovery signs in with
 * {@code code_recovery} and opens a settings flow; verification marks the address verified and signs nobody in. Both
 * keep Iris's rules: an unknown address answers alike and gets no email, a code works only in its own flow.
 */
@QuarkusTest
class RecoveryVerificationTest {

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    private String newFlow(String kind) {
        return api.request().get("/self-service/" + kind + "/api").then().statusCode(200)
                .body("state", equalTo("choose_method"))
                .extract().path("id");
    }

    private Response submit(String kind, String flow, Map<String, ?> body) {
        return api.request().contentType(ContentType.JSON).queryParam("flow", flow).body(body)
                .post("/self-service/" + kind);
    }

    @Test
    void recoveryByCodeSignsInWithCodeRecoveryAndOpensSettings() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = newFlow("recovery");
        JsonPath chosen = api.request().queryParam("id", flow).get("/self-service/recovery/flows").then()
                .statusCode(200).extract().jsonPath();
        assertThat(chosen.getList("ui.nodes.attributes.name")).containsExactly("email", "method");
        assertThat(chosen.getList("ui.nodes.meta.label.id")).containsExactly(1070007, 1070009);

        JsonPath sent = submit("recovery", flow, Map.of("method", "code", "email", email)).then().statusCode(200)
                .body("state", equalTo("sent_email")).body("ui.messages[0].id", equalTo(1060003))
                .extract().jsonPath();
        assertThat(sent.getList("ui.nodes.attributes.name")).containsExactly("code", "method", "method", "email");
        assertThat(sent.getString("ui.nodes.find { it.attributes.name == 'email' }.attributes.type"))
                .isEqualTo("submit");
        assertThat(sent.getInt("ui.nodes.find { it.attributes.name == 'code' }.meta.label.id")).isEqualTo(1070010);

        LoginMail mail = Smtp.awaitLogin(email);
        assertThat(mail.subject()).isEqualTo("Recover access to your account");
        assertThat(mail.link()).contains("/recovery?flow=" + flow + "&code=");

        submit("recovery", flow, Map.of("method", "code", "code", wrong(mail.code()))).then().statusCode(200)
                .body("state", equalTo("sent_email")).body("ui.messages[0].id", equalTo(4060006));

        JsonPath done = submit("recovery", flow, Map.of("method", "code", "code", mail.code())).then()
                .statusCode(200).body("state", equalTo("passed_challenge"))
                .body("continue_with[0].action", equalTo("set_ory_session_token"))
                .body("continue_with[1].action", equalTo("show_settings_ui"))
                .extract().jsonPath();
        String token = done.getString("continue_with[0].ory_session_token");
        api.whoami(token).then().statusCode(200)
                .body("authentication_methods[0].method", equalTo("code_recovery"))
                .body("identity.verifiable_addresses[0].verified", equalTo(true));
        String settings = done.getString("continue_with[1].flow.id");
        api.request().header("X-Session-Token", token).queryParam("id", settings).get("/self-service/settings/flows")
                .then().statusCode(200).body("ui.messages[0].id", equalTo(1060001))
                .body("ui.messages[0].type", equalTo("success"));

        // Spent: the same code does nothing more.
        submit("recovery", flow, Map.of("method", "code", "code", mail.code())).then().statusCode(200)
                .body("ui.messages[0].id", equalTo(4060006));
    }

    /** No enumeration: an unknown address's recovery answers like a known one's, and nothing is mailed to it. */
    @Test
    void recoveryForAnUnknownAddressLooksTheSameAndSendsNothing() {
        String known = Api.uniqueEmail();
        String unknown = Api.uniqueEmail();
        api.createIdentity(known);
        String knownFlow = newFlow("recovery");
        String unknownFlow = newFlow("recovery");
        double rehearsed = registry.counter("iris.mail.rendered", "template", "recovery_unknown").count();

        Response unknownAnswer = submit("recovery", unknownFlow, Map.of("method", "code", "email", unknown));
        Response knownAnswer = submit("recovery", knownFlow, Map.of("method", "code", "email", known));
        assertThat(unknownAnswer.statusCode()).isEqualTo(knownAnswer.statusCode()).isEqualTo(200);
        assertThat(JsonShape.of(unknownAnswer.jsonPath().getMap("")))
                .isEqualTo(JsonShape.of(knownAnswer.jsonPath().getMap("")));

        Smtp.awaitLogin(known);
        Poll.until(() -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = $1", unknownFlow) == 0,
                Duration.ofSeconds(10), "the unknown address's outbox row to be processed");
        assertThat(Smtp.messagesTo(unknown)).isEmpty();
        assertThat(registry.counter("iris.mail.rendered", "template", "recovery_unknown").count())
                .isGreaterThan(rehearsed);
        assertThat(count("SELECT count(*) FROM login_codes WHERE flow_id = $1", unknownFlow)).isEqualTo(1);
        // Guessing its code looks like a wrong code, and never creates an account.
        submit("recovery", unknownFlow, Map.of("method", "code", "code", "123456")).then().statusCode(200)
                .body("ui.messages[0].id", equalTo(4060006));
        assertThat(countByEmail(unknown)).isZero();
    }

    /** A code works only in the flow it was sent for: a login code is no recovery code, and the other way round. */
    @Test
    void codesAreBoundToTheirFlowAndKind() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String login = api.newLoginFlow();
        api.send(login, email).then().statusCode(400);
        LoginMail loginMail = Smtp.awaitLogin(email);
        String recovery = newFlow("recovery");
        submit("recovery", recovery, Map.of("method", "code", "email", email)).then().statusCode(200);
        submit("recovery", recovery, Map.of("method", "code", "code", loginMail.code())).then().statusCode(200)
                .body("state", equalTo("sent_email")).body("ui.messages[0].id", equalTo(4060006));
        submit("recovery", recovery, Map.of("method", "code", "code", loginMail.linkToken())).then()
                .statusCode(200).body("ui.messages[0].id", equalTo(4060006));
    }

    @Test
    void verificationByCodeMarksTheAddressVerifiedAndSignsNobodyIn() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        api.admin().get("/admin/identities/" + identity).then().statusCode(200)
                .body("verifiable_addresses[0].verified", equalTo(false));
        String flow = newFlow("verification");
        submit("verification", flow, Map.of("method", "code", "email", email)).then().statusCode(200)
                .body("state", equalTo("sent_email")).body("ui.messages[0].id", equalTo(1080003))
                .body("ui.nodes.find { it.attributes.name == 'code' }.meta.label.id", equalTo(1070011));
        LoginMail mail = Smtp.awaitLogin(email);
        assertThat(mail.subject()).isEqualTo("Verify your email address");

        submit("verification", flow, Map.of("method", "code", "code", wrong(mail.code()))).then().statusCode(200)
                .body("ui.messages[0].id", equalTo(4070006));
        submit("verification", flow, Map.of("method", "code", "code", mail.code())).then().statusCode(200)
                .body("state", equalTo("passed_challenge")).body("ui.messages[0].id", equalTo(1080002))
                .body("ui.method", equalTo("GET"))
                .body("ui.nodes[0].type", equalTo("a")).body("ui.nodes[0].attributes.id", equalTo("continue"))
                .body("ui.nodes[0].meta.label.id", equalTo(1070009))
                .body("continue_with", nullValue()).body("session_token", nullValue());
        api.admin().get("/admin/identities/" + identity).then().statusCode(200)
                .body("verifiable_addresses[0].verified", equalTo(true))
                .body("verifiable_addresses[0].status", equalTo("completed"));
    }

    /** A signed-in user may verify; recovery is for those who are not (400 for api callers with a session). */
    @Test
    void verificationStartsWithASessionRecoveryDoesNot() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        api.request().header("X-Session-Token", token).get("/self-service/verification/api").then().statusCode(200);
        api.request().header("X-Session-Token", token).get("/self-service/recovery/api").then().statusCode(400)
                .body("error.id", equalTo("session_already_available"));
    }

    /** A flow started signed out is refused once the caller is signed in (as Kratos refuses the POST too). */
    @Test
    void aSignedInCallerCannotSubmitRecovery() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = newFlow("recovery");
        String token = api.signIn(email);
        api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "code", "email", email)).post("/self-service/recovery").then()
                .statusCode(400).body("error.id", equalTo("session_already_available"));
    }

    /**
     * An api recovery flow's emailed link opened in a browser (the confirmation page's POST with the browser's own CSRF
     * pair): that browser is signed in and sent to settings; the app that started the flow gets no token.
     */
    @Test
    void anApiRecoveryLinkOpenedInABrowserSignsInThatBrowserOnly() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = newFlow("recovery");
        submit("recovery", flow, Map.of("method", "code", "email", email)).then().statusCode(200);
        LoginMail mail = Smtp.awaitLogin(email);

        java.net.URI link = java.net.URI.create(mail.link());
        Response page = api.request().get(link.getRawPath() + "?" + link.getRawQuery());
        page.then().statusCode(200);
        Response recovered = api.request().redirects().follow(false).cookie("iris_csrf", page.cookie("iris_csrf"))
                .contentType(ContentType.URLENC).queryParam("flow", flow)
                .formParams(Map.of("csrf_token", page.htmlPath().getString("**.find { it.@name == 'csrf_token' }.@value"),
                        "method", "code", "code", mail.linkToken()))
                .post("/self-service/recovery");
        recovered.then().statusCode(303).header("Location", org.hamcrest.Matchers.containsString("/settings?flow="));
        api.whoami(recovered.cookie("iris_session")).then().statusCode(200);
        api.request().queryParam("id", flow).get("/self-service/recovery/flows").then().statusCode(200)
                .body("state", equalTo("passed_challenge")).body("continue_with", nullValue());
    }

    /** Verification answers an unknown address like a known one and mails nothing. */
    @Test
    void verificationForAnUnknownAddressLooksTheSameAndSendsNothing() {
        String known = Api.uniqueEmail();
        String unknown = Api.uniqueEmail();
        api.createIdentity(known);
        Response unknownAnswer = submit("verification", newFlow("verification"),
                Map.of("method", "code", "email", unknown));
        Response knownAnswer = submit("verification", newFlow("verification"), Map.of("method", "code", "email", known));
        assertThat(unknownAnswer.statusCode()).isEqualTo(knownAnswer.statusCode()).isEqualTo(200);
        assertThat(JsonShape.of(unknownAnswer.jsonPath().getMap("")))
                .isEqualTo(JsonShape.of(knownAnswer.jsonPath().getMap("")));
        Smtp.awaitLogin(known);
        Poll.until(() -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = $1",
                unknownAnswer.path("id")) == 0, Duration.ofSeconds(10), "the unknown address's outbox row");
        assertThat(Smtp.messagesTo(unknown)).isEmpty();
    }

    /** Recovery and verification check the address as every intake does, and need one. */
    @Test
    void aMissingOrMalformedAddressIsA400OnTheField() {
        for (String kind : List.of("recovery", "verification")) {
            String flow = newFlow(kind);
            submit(kind, flow, Map.of("method", "code")).then().statusCode(400)
                    .body("ui.nodes.find { it.attributes.name == 'email' }.messages[0].id", equalTo(4000002));
            submit(kind, flow, Map.of("method", "code", "email", "a<b@example.com")).then().statusCode(400)
                    .body("ui.nodes.find { it.attributes.name == 'email' }.messages[0].id", equalTo(4000004));
            submit(kind, flow, Map.of("method", "totp", "email", Api.uniqueEmail())).then().statusCode(400)
                    .body("ui.messages[0].id", equalTo("recovery".equals(kind) ? 4010005 : 4010006));
        }
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    private long countByEmail(String email) {
        return pool.preparedQuery("SELECT count(*) FROM identities WHERE email = $1").execute(Tuple.of(email))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private long count(String sql, String flowId) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(flowId))).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
