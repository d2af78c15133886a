package dev.iris.http;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kratos error JSON byte for byte, from each place that writes one: the REST exception mappers, the Vert.x
 * whoami route, the Content-Type guard and the admin key filter. Pinned on the answers as they were before the
 * error rendering was shared, so the sharing changed nothing on the wire.
 */
@QuarkusTest
class ErrorWireFormatTest {

    private final Api api = Api.local();

    @Test
    void whoamiWithoutASession() {
        Response answer = api.request().get("/sessions/whoami");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.asString()).isEqualTo("{\"error\":{\"id\":\"session_inactive\",\"code\":401,"
                + "\"status\":\"Unauthorized\",\"reason\":\"No active session was found in this request.\","
                + "\"message\":\"The request could not be authorized\"}}");
    }

    @Test
    void whoamiAnswersHeadLikeGetWithoutABody() {
        Response none = api.request().head("/sessions/whoami");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.contentType()).isEqualTo("application/json");
        assertThat(none.asString()).isEmpty();

        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        Response signedIn = api.request().header("X-Session-Token", token).head("/sessions/whoami");
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.contentType()).isEqualTo("application/json");
        assertThat(signedIn.header("Cache-Control")).isEqualTo("private, no-store");
        assertThat(signedIn.header("X-Kratos-Authenticated-Identity-Id"))
                .isEqualTo(api.whoami(token).then().statusCode(200).extract().path("identity.id"));
        assertThat(signedIn.asString()).isEmpty();
    }

    @Test
    void adminWithoutAKey() {
        Response answer = api.request().get("/admin/identities");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(answer.asString()).isEqualTo("{\"error\":{\"id\":\"unauthorized\",\"code\":401,"
                + "\"status\":\"Unauthorized\",\"reason\":\"A valid admin API key is required (Authorization: Bearer "
                + "<key>).\",\"message\":\"The request could not be authorized\"}}");
    }

    @Test
    void contentTypeThatIsNoMediaType() {
        RawHttp.Answer answer = RawHttp.exchange(RestAssured.port, "POST", "/self-service/login/api",
                Map.of("Content-Type", "application/"), "{}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":{\"id\":\"bad_request\",\"code\":400,"
                + "\"status\":\"Bad Request\",\"reason\":\"The Content-Type header is not a valid media type.\","
                + "\"message\":\"The request was malformed or contained invalid parameters\"}}");
    }

    @Test
    void apiExceptionWithDetails() {
        Response answer = api.admin().contentType(ContentType.JSON).body("{\"traits\":{\"email\":\"nope\"}}")
                .post("/admin/identities");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.asString()).isEqualTo("{\"error\":{\"id\":\"bad_request\",\"code\":400,"
                + "\"status\":\"Bad Request\",\"reason\":\"traits.email must be a valid email address.\","
                + "\"message\":\"The request was malformed or contained invalid parameters\","
                + "\"details\":{\"messages\":[{\"id\":4000004,\"type\":\"error\","
                + "\"text\":\"\\\"nope\\\" is not valid \\\"email\\\"\",\"context\":{\"reason\":\"invalid_format\"}}]}}}");
    }

    @Test
    void apiExceptionWithHeadersAndExtraFields() {
        Api client = Api.local();
        for (int i = 0; i < 5; i++) {
            client.send(client.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        Response answer = client.send(client.newLoginFlow(), Api.uniqueEmail());
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.contentType()).isEqualTo("application/json");
        String seconds = answer.header("Retry-After");
        assertThat(seconds).matches("[1-9][0-9]*");
        assertThat(answer.asString()).isEqualTo("{\"error\":{\"id\":\"self_service_flow_rate_limited\",\"code\":429,"
                + "\"status\":\"Too Many Requests\",\"reason\":\"Too many requests; retry after " + seconds
                + " seconds.\",\"message\":\"Too many requests\"},\"retry_after_seconds\":" + seconds + "}");
    }

    @Test
    void unmappedPathIsTheMappersNotFound() {
        Response answer = api.request().get("/no-such-thing");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.asString()).isEqualTo("{\"error\":{\"id\":\"not_found\",\"code\":404,"
                + "\"status\":\"Not Found\",\"reason\":\"The requested resource could not be found.\","
                + "\"message\":\"The requested resource could not be found\"}}");
    }
}
