package dev.iris.flow;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Design rule 6: bad input gets a clear 4xx, never a 5xx or a stack trace. */
@QuarkusTest
class MalformedRequestTest {

    private final Api api = Api.local();

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "null", "\"text\"", "42", "{\"method\":", "{\"method\":[1,2]}",
            "{\"method\":\"code\",\"identifier\":{\"a\":1}}", "{\"method\":\"code\",\"identifier\":[\"a@b.co\"]}",
            "{\"method\":\"code\",\"identifier\":12345}", "{\"method\":\"code\",\"identifier\":true}",
            "{\"method\":\"code\",\"code\":{},\"identifier\":\"a@example.com\"}",
            "{\"method\":\"code\",\"identifier\":\"a@example.com\",\"unknown\":{\"deep\":[1]}}",
            "{\"method\":\"code\",\"identifier\":\"' OR '1'='1'; DROP TABLE identities; --\"}",
            "{\"method\":\"code\",\"identifier\":\"\\u0000\\ud83d\\ude00@example.com\"}",
            "{\"method\":\"code\",\"identifier\":\"\\u202eevil@example.com\"}",
            "{\"method\":\"code\",\"identifier\":\"a@example.com\",\"code\":\"\\u0661\\u0662\\u0663\\u0664\\u0665\\u0666\"}",
            "{\"method\":\"code\",\"identifier\":\"a@example.com\",\"code\":\"' OR 1=1 --\"}",
            "{\"method\":\"code\",\"resend\":\"code\"}"})
    void malformedOrHostileBodiesGetA4xx(String body) {
        String flow = api.newLoginFlow();
        Response response = api.request().contentType(ContentType.JSON).queryParam("flow", flow).body(body)
                .post("/self-service/login");
        assertThat(response.statusCode()).as(body).isBetween(400, 499);
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("at dev.iris");
    }

    @Test
    void hugeBodiesAreRefused() {
        String flow = api.newLoginFlow();
        String huge = "{\"method\":\"code\",\"identifier\":\"" + "a".repeat(70_000) + "@example.com\"}";
        Response response = api.request().contentType(ContentType.JSON).queryParam("flow", flow).body(huge)
                .post("/self-service/login");
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void overlongFieldsUnderTheBodyLimitAreRefused() {
        String flow = api.newLoginFlow();
        api.send(flow, "a".repeat(300) + "@example.com").then().statusCode(400);
        api.redeemCode(flow, "a@example.com", "1".repeat(5_000)).then().statusCode(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1", "' OR 1=1 --", "00000000-0000-0000-0000-00000000000g",
            "%00", "\u00e9\u00e9"})
    void nonUuidFlowIdsAreNotFound(String id) {
        api.request().contentType(ContentType.JSON).queryParam("flow", id)
                .body("{\"method\":\"code\",\"identifier\":\"a@example.com\"}")
                .post("/self-service/login").then().statusCode(404).body("error.id", equalTo("not_found"));
    }

    @Test
    void missingFlowParameterIsABadRequest() {
        api.request().contentType(ContentType.JSON).body("{\"method\":\"code\"}").post("/self-service/login")
                .then().statusCode(400).body("error.id", equalTo("bad_request"));
    }

    @Test
    void wrongContentTypeIsABadRequest() {
        String flow = api.newLoginFlow();
        api.request().contentType("text/plain").queryParam("flow", flow).body("method=code")
                .post("/self-service/login").then().statusCode(400).body("error.id", equalTo("bad_request"));
        api.request().contentType("application/xml").queryParam("flow", flow).body("<a/>")
                .post("/self-service/login").then().statusCode(400);
    }

    @Test
    void formEncodedSubmissionsWorkLikeJson() {
        String flow = api.newLoginFlow();
        api.request().contentType(ContentType.URLENC).queryParam("flow", flow)
                .formParam("method", "code").formParam("identifier", Api.uniqueEmail())
                .post("/self-service/login").then().statusCode(400).body("state", equalTo("sent_email"));
    }

    /**
     * A form post that a rate limit refuses goes back to the flow's page, which shows the wait (4000001 with
     * {@code retry_after_seconds}) — also for an api flow, whose emailed link lands on a page that posts a form.
     */
    @Test
    void aRateLimitedFormPostGoesBackToTheFlowsPage() {
        String flow = api.newLoginFlow();
        String email = Api.uniqueEmail();
        api.send(flow, email).then().statusCode(400);
        api.request().contentType(ContentType.URLENC).queryParam("flow", flow).redirects().follow(false)
                .formParam("method", "code").formParam("resend", "code").formParam("identifier", email)
                .post("/self-service/login").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/login?flow=" + flow));
        api.request().queryParam("id", flow).get("/self-service/login/flows").then().statusCode(200)
                .body("ui.messages[0].id", equalTo(4000001))
                .body("ui.messages[0].context.retry_after_seconds", org.hamcrest.Matchers.notNullValue());
    }

    /** RESTEasy's own form parser threw on these on the event loop and never answered; a timeout fails the test. */
    @ParameterizedTest
    @ValueSource(strings = {"/self-service/login", "/self-service/registration", "/self-service/settings"})
    void malformedPercentEncodingInAFormIsABadRequest(String path) {
        String flow = api.newLoginFlow();
        RestAssuredConfig tenSeconds = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 10_000));
        for (String body : new String[] {"method=code&identifier=%ZZ", "method=%", "csrf_token=%E"}) {
            api.request().config(tenSeconds).contentType(ContentType.URLENC).queryParam("flow", flow).body(body)
                    .post(path).then().statusCode(400).body("error.id", equalTo("bad_request"));
        }
    }

    @Test
    void formFieldsAreDecodedLikeBrowsersEncodeThem() {
        String flow = api.newLoginFlow();
        api.request().contentType(ContentType.URLENC).queryParam("flow", flow)
                .body("method=code&identifier=+Tom%2Bnews%40Example.com+&identifier=second%40example.com")
                .post("/self-service/login").then().statusCode(400).body("state", equalTo("sent_email"))
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.attributes.value",
                        equalTo("tom+news@example.com"));
    }

    @Test
    void apiFlowsRefuseBrowserRequests() {
        String flow = api.newLoginFlow();
        api.request().contentType(ContentType.JSON).header("Origin", "https://evil.example")
                .queryParam("flow", flow).body("{\"method\":\"code\",\"identifier\":\"a@example.com\"}")
                .post("/self-service/login").then().statusCode(400).body("error.id", equalTo("bad_request"));
    }

    @Test
    void unknownPathsAndMethodsAreClean() {
        api.request().get("/self-service/nope").then().statusCode(404).body("error.id", equalTo("not_found"));
        api.request().put("/self-service/login/api").then().statusCode(405);
    }

    @Test
    void logoutNeedsAToken() {
        api.request().contentType(ContentType.JSON).body("{}").delete("/self-service/logout/api")
                .then().statusCode(400).body("error.id", equalTo("bad_request"));
        api.request().contentType(ContentType.JSON).body("{\"session_token\":42}").delete("/self-service/logout/api")
                .then().statusCode(204);
        api.request().contentType(ContentType.JSON).body("{\"session_token\":{}}").delete("/self-service/logout/api")
                .then().statusCode(400);
    }

    @Test
    void whoamiWithoutOrWithGarbageTokensIs401() {
        api.request().get("/sessions/whoami").then().statusCode(401).body("error.id", equalTo("session_inactive"));
        api.whoami("x".repeat(2000)).then().statusCode(401);
        api.request().header("Authorization", "Basic abc").get("/sessions/whoami").then().statusCode(401);
    }
}
