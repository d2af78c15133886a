package dev.iris.flow;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16 item 1: an address the mailer cannot address (or that hides a second identity behind invisible
 * characters) is refused at intake — every flow and the admin API answer 400 with message 4000004.
 */
@QuarkusTest
class AddressIntakeTest {

    private final Api api = Api.local();

    static List<String> refused() {
        return List.of("a<b@example.com", "a,b@example.com", "a>b@example.com", "a(b@example.com",
                "\"a b\"@example.com", "a\u00a0b@example.com", "alice@example.com\u00a0", "a\u200bb@example.com",
                "alice@exam\u200bple.com", "j\u00fcrgen@example.com");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void apiLoginRefusesIt(String address) {
        api.send(api.newLoginFlow(), address).then().statusCode(400)
                .body("state", equalTo("choose_method"))
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.messages[0].id", equalTo(4000004));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void apiRegistrationRefusesIt(String address) {
        api.signUp(api.newRegistrationFlow(), address).then().statusCode(400)
                .body("state", equalTo("choose_method"))
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id", equalTo(4000004));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void browserLoginAndRegistrationRefuseIt(String address) {
        browserSubmit("login", Map.of("method", "code", "identifier", address)).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'identifier' }.messages[0].id", equalTo(4000004));
        browserSubmit("registration", Map.of("method", "code", "traits", Map.of("email", address))).then()
                .statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id", equalTo(4000004));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void adminCreateRefusesIt(String address) {
        api.admin().contentType(ContentType.JSON)
                .body(Map.of("schema_id", "default", "traits", Map.of("email", address)))
                .post("/admin/identities").then().statusCode(400)
                .body("error.id", equalTo("bad_request"))
                .body("error.details.messages[0].id", equalTo(4000004));
    }

    private Response browserSubmit(String kind, Map<String, Object> body) {
        Response created = api.request().accept(ContentType.JSON).get("/self-service/" + kind + "/browser");
        String cookie = created.cookie("iris_csrf");
        Map<String, Object> withCsrf = new java.util.HashMap<>(body);
        withCsrf.put("csrf_token", created.path("ui.nodes[0].attributes.value"));
        return api.request().cookie("iris_csrf", cookie).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", created.<String>path("id")).body(withCsrf).post("/self-service/" + kind);
    }
}
