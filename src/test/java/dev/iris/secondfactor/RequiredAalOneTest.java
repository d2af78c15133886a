package dev.iris.secondfactor;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** With {@code iris.session.whoami.required-aal=aal1} an AAL1 session of an identity with a second factor passes. */
@QuarkusTest
@TestProfile(RequiredAalOneTest.AalOne.class)
class RequiredAalOneTest {

    public static class AalOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("iris.session.whoami.required-aal", "aal1");
        }
    }

    private final Api api = Api.local();

    @Test
    void anAal1SessionPassesWhoamiAndKeepsItsIdentity() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String first = api.signIn(email);
        String flow = api.request().header("X-Session-Token", first).get("/self-service/settings/api")
                .then().statusCode(200).extract().path("id");
        api.request().contentType(ContentType.JSON).header("X-Session-Token", first).queryParam("flow", flow)
                .body(Map.of("method", "lookup_secret", "lookup_secret_regenerate", true))
                .post("/self-service/settings").then().statusCode(200);
        api.request().contentType(ContentType.JSON).header("X-Session-Token", first).queryParam("flow", flow)
                .body(Map.of("method", "lookup_secret", "lookup_secret_confirm", true))
                .post("/self-service/settings").then().statusCode(200);

        String second = api.signIn(email);
        api.whoami(second).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal1"))
                .body("identity.traits.email", equalTo(email));
        api.request().header("X-Session-Token", second).queryParam("aal", "aal2").get("/self-service/login/api")
                .then().statusCode(200).body("id", notNullValue());
    }
}
