package dev.iris.admin;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.Race;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AdminIdentityTest {

    private final Api api = Api.local();

    private io.restassured.specification.RequestSpecification admin() {
        return api.request().header("Authorization", "Bearer " + Api.TEST_ADMIN_KEY);
    }

    @Test
    void createGetDelete() {
        String email = Api.uniqueEmail();
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("schema_id", "default", "traits", Map.of("email", "  " + email.toUpperCase() + " ")))
                .post("/admin/identities").then().statusCode(201)
                .body("schema_id", equalTo("default"))
                .body("state", equalTo("active"))
                .body("traits.email", equalTo(email))
                .body("verifiable_addresses[0].value", equalTo(email))
                .body("verifiable_addresses[0].via", equalTo("email"))
                .extract().path("id");

        admin().get("/admin/identities/" + id).then().statusCode(200).body("id", equalTo(id));
        admin().delete("/admin/identities/" + id).then().statusCode(204);
        admin().get("/admin/identities/" + id).then().statusCode(404).body("error.id", equalTo("not_found"));
        admin().delete("/admin/identities/" + id).then().statusCode(404);
    }

    @Test
    void duplicateAddressIsAConflictAlsoUnderARace() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        admin().contentType(ContentType.JSON).body(Map.of("traits", Map.of("email", email.toUpperCase())))
                .post("/admin/identities").then().statusCode(409).body("error.id", equalTo("conflict"));

        String racing = Api.uniqueEmail();
        List<Integer> statuses = Race.run(8, () -> admin().contentType(ContentType.JSON)
                .body(Map.of("traits", Map.of("email", racing))).post("/admin/identities").statusCode());
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
    }

    @Test
    void invalidInputIs400() {
        admin().contentType(ContentType.JSON).body("{\"traits\":{\"email\":\"nope\"}}").post("/admin/identities")
                .then().statusCode(400).body("error.id", equalTo("bad_request"));
        admin().contentType(ContentType.JSON).body("{\"traits\":{}}").post("/admin/identities")
                .then().statusCode(400);
        admin().contentType(ContentType.JSON).body("{\"traits\":{\"email\":5}}").post("/admin/identities")
                .then().statusCode(400);
        admin().contentType(ContentType.JSON).body("{").post("/admin/identities").then().statusCode(400);
        admin().contentType(ContentType.JSON).body("{\"schema_id\":\"other\",\"traits\":{\"email\":\"a@example.com\"}}")
                .post("/admin/identities").then().statusCode(400);
        admin().get("/admin/identities/not-a-uuid").then().statusCode(400);
        admin().get("/admin/identities/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void requiresAValidBearerKey() {
        api.request().get("/admin/identities/" + UUID.randomUUID()).then().statusCode(401)
                .body("error.id", equalTo("unauthorized"));
        api.request().header("Authorization", "Bearer wrong").get("/admin/identities/" + UUID.randomUUID())
                .then().statusCode(401);
        api.request().header("Authorization", "Bearer " + Api.TEST_ADMIN_KEY + "x")
                .contentType(ContentType.JSON).body(Map.of("traits", Map.of("email", Api.uniqueEmail())))
                .post("/admin/identities").then().statusCode(401);
    }

    @Test
    void deletingAnIdentityEndsItsSessionsAtOnce() {
        String email = Api.uniqueEmail();
        String id = api.createIdentity(email);
        String token = api.signIn(email);
        api.whoami(token).then().statusCode(200);

        admin().delete("/admin/identities/" + id).then().statusCode(204);
        api.whoami(token).then().statusCode(401);
    }
}
