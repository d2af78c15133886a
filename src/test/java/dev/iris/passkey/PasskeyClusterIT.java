package dev.iris.passkey;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.SoftAuthenticator;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * Two packaged instances: a passkey ceremony whose options one instance showed completes on the other (the challenge
 * is derived from the flow with the shared HMAC key; its single use is claimed in the shared Redis) — registration
 * and sign-in alike — and a replay on the first instance after the second used it is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyClusterIT {

    /** Both instances are one relying party behind one host name. */
    private static final String ORIGIN = "http://localhost:8443";

    private PackagedApp first;
    private PackagedApp second;

    @BeforeAll
    void start() {
        Map<String, String> config = Map.of(
                "iris.public-url", ORIGIN,
                "iris.ratelimit.send-per-ip", "1000/5m");
        first = PackagedApp.start("passkey-a", config);
        second = PackagedApp.start("passkey-b", config);
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void aCeremonyShownByOneInstanceCompletesOnTheOther() {
        Api a = first.api();
        Api b = second.api();
        String email = Api.uniqueEmail();
        a.createIdentity(email);
        String token = a.signIn(email);
        SoftAuthenticator passkey = new SoftAuthenticator();

        String settings = a.newSettingsFlow(token);
        String creation = a.request().header("X-Session-Token", token).queryParam("id", settings)
                .get("/self-service/settings/flows").then().statusCode(200).extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'passkey_create_data' }.attributes.value");
        b.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", settings)
                .body(Map.of("passkey_settings_register", passkey.create(creation, ORIGIN, "localhost", true)))
                .post("/self-service/settings").then().statusCode(200).body("state", equalTo("success"));

        String login = a.newLoginFlow();
        String request = a.request().queryParam("id", login).get("/self-service/login/flows").then().statusCode(200)
                .extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'passkey_challenge' }.attributes.value");
        String assertion = passkey.get(request, ORIGIN, "localhost", true);
        b.submit(login, Map.of("passkey_login", assertion)).then().statusCode(200)
                .body("session.authenticator_assurance_level", equalTo("aal2"));
        a.submit(login, Map.of("passkey_login", assertion)).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000043));
    }
}
