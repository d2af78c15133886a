package dev.iris.events;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.WebhookReceiver;
import dev.iris.testsupport.WebhookReceiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Blocking pre-hooks against a real hook server this test starts: it denies addresses starting with "deny-" (Kratos's
 * interrupt body), answers "slow-" ones after the timeout and "broken-" ones with a bare 500; registration fails
 * closed (the default), login is configured to fail open.
 */
@QuarkusTest
@TestProfile(PreHookTest.WithHooks.class)
class PreHookTest {

    static final WebhookReceiver HOOK = new WebhookReceiver();
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static class WithHooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "iris.hooks.before-registration.url", HOOK.url("/before-registration"),
                    "iris.hooks.before-registration.timeout", "500ms",
                    "iris.hooks.before-registration.secret", SECRET,
                    "iris.hooks.before-login.url", HOOK.url("/before-login"),
                    "iris.hooks.before-login.timeout", "500ms",
                    "iris.hooks.before-login.on-failure", "allow");
        }
    }

    @BeforeAll
    static void hookRules() {
        HOOK.respondWith(body -> {
            JsonObject request = new JsonObject(body);
            String email = request.getJsonObject("identity").getJsonObject("traits").getString("email");
            if (email.startsWith("deny-")) {
                String pointer = "before_registration".equals(request.getString("hook")) ? "#/traits/email" : "#";
                return new Answer(403, new JsonObject().put("messages", List.of(Map.of("instance_ptr", pointer,
                        "messages", List.of(Map.of("id", 4000099, "type", "error",
                                "text", "Only addresses of Example Corp may be used here.",
                                "context", Map.of("domain", "example.com"))))))
                        .encode(), 0);
            }
            if (email.startsWith("slow-")) {
                return new Answer(204, null, 1500);
            }
            if (email.startsWith("broken-")) {
                return new Answer(500, null, 0);
            }
            return new Answer(204, null, 0);
        });
    }

    private final Api api = Api.local();

    @Test
    void aDeniedSignUpShowsTheHooksMessageAndCreatesAndMailsNothing() {
        String email = "deny-" + Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        Response denied = api.signUp(flow, email);
        denied.then().statusCode(400).body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id",
                equalTo(4000099)).body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].text",
                equalTo("Only addresses of Example Corp may be used here.")).body("state", equalTo("choose_method"));
        WebhookReceiver.Received asked = HOOK.await(r -> r.body().contains(email), Duration.ofSeconds(5));
        assertThat(WebhookReceiver.signedWith(asked, SECRET)).as("the hook can tell Iris's requests").isTrue();
        assertThat(new JsonObject(asked.body()).getString("method")).isEqualTo("code");
        Smtp.sleep(1500);
        assertThat(Smtp.messagesTo(email)).as("no sign-up mail").isEmpty();
        api.admin().queryParam("credentials_identifier", email).get("/admin/identities").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void aBrowserSignUpPageShowsTheDenial() {
        String email = "deny-" + Api.uniqueEmail();
        var start = api.request().redirects().follow(false).get("/self-service/registration/browser");
        String flow = start.then().statusCode(303).extract().header("Location").replaceAll(".*flow=", "");
        String csrfCookie = start.getCookie("iris_csrf");
        String token = api.request().cookie("iris_csrf", csrfCookie).get("/self-service/registration/flows?id=" + flow)
                .then().statusCode(200).extract().path("ui.nodes.find { it.attributes.name == 'csrf_token' }.attributes.value");
        api.request().redirects().follow(false).cookie("iris_csrf", csrfCookie).contentType("application/x-www-form-urlencoded")
                .formParam("method", "code").formParam("traits.email", email).formParam("csrf_token", token)
                .post("/self-service/registration?flow=" + flow).then().statusCode(303);
        api.request().cookie("iris_csrf", csrfCookie).get("/self-service/registration/flows?id=" + flow).then()
                .statusCode(200).body("ui.messages.id", hasItem(4000099)); // a form post's messages stay with the flow
        String page = api.request().cookie("iris_csrf", csrfCookie).get("/registration?flow=" + flow).then()
                .statusCode(200).extract().asString();
        assertThat(page).contains("Only addresses of Example Corp may be used here.");
    }

    @Test
    void aSignUpWhoseHookIsTooSlowOrBrokenIsRefusedByDefault() {
        for (String prefix : List.of("slow-", "broken-")) {
            String email = prefix + Api.uniqueEmail();
            api.signUp(api.newRegistrationFlow(), email).then().statusCode(400)
                    .body("ui.messages[0].id", equalTo(4000001))
                    .body("ui.messages[0].text", equalTo("This request cannot be completed right now. Please try again later."));
            Smtp.sleep(1000);
            assertThat(Smtp.messagesTo(email)).isEmpty();
        }
    }

    @Test
    void anAllowedSignUpGoesOn() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        api.signUp(flow, email).then().statusCode(400).body("state", equalTo("sent_email"));
        LoginMail mail = Smtp.awaitLogin(email);
        api.completeSignUp(flow, email, mail.code()).then().statusCode(200);
    }

    @Test
    void aDeniedSignInIssuesNoSessionAndShowsTheMessage() {
        String email = "deny-" + Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        api.redeemCode(flow, email, mail.code()).then().statusCode(400)
                .body("ui.messages.id", hasItem(4000099)).body("session_token", equalTo(null));
        String identityId = api.admin().queryParam("credentials_identifier", email).get("/admin/identities")
                .then().extract().path("[0].id");
        api.admin().get("/admin/identities/" + identityId + "/sessions").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void aSignInWhoseHookIsTooSlowGoesOnWhenConfiguredToFailOpen() {
        String email = "slow-" + Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        api.whoami(token).then().statusCode(200);
        HOOK.await(r -> r.path().equals("/before-login") && r.body().contains(email), Duration.ofSeconds(5));
    }
}
