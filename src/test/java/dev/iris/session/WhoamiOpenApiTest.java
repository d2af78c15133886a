package dev.iris.session;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** {@code /q/openapi} still describes whoami, although a Vert.x route (no annotated method) serves it. */
@QuarkusTest
class WhoamiOpenApiTest {

    @Test
    void theOpenApiDocumentDescribesWhoamiBesideTheAnnotatedSessionsEndpoints() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/sessions/whoami'.get.summary", equalTo("Check who the current session belongs to"))
                .body("paths.'/sessions/whoami'.get.tags", contains("sessions"))
                .body("paths.'/sessions/whoami'.get.responses.'200'.content.'application/json'", notNullValue())
                .body("paths.'/sessions'.get.summary", equalTo("List the caller's other active sessions"))
                .body("info.title", equalTo("Iris passwordless sign-in"));
    }
}
