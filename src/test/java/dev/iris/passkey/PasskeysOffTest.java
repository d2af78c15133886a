package dev.iris.passkey;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.SoftAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code iris.webauthn.enabled=false}: no flow shows a passkey or security-key node, the identifier is a plain email
 * field, and a passkey post is refused like any submission without a method — nothing signs in.
 */
@QuarkusTest
@TestProfile(PasskeysOffTest.Off.class)
class PasskeysOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("iris.webauthn.enabled", "false");
        }
    }

    private final Api api = Api.local();

    @Test
    void noFlowOffersWebAuthnAndItsPostsAreRefused() {
        String login = api.newLoginFlow();
        List<String> loginNodes = api.request().queryParam("id", login).get("/self-service/login/flows").then()
                .statusCode(200).extract().jsonPath().getList("ui.nodes.attributes.name", String.class);
        assertThat(loginNodes).contains("identifier").noneMatch(name -> name != null
                && (name.startsWith("passkey") || name.startsWith("webauthn")));
        assertThat(api.request().queryParam("id", login).get("/self-service/login/flows").then().extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'identifier' }.attributes.autocomplete"))
                .isEqualTo("email");
        String registration = api.newRegistrationFlow();
        assertThat(api.request().queryParam("id", registration).get("/self-service/registration/flows").then()
                .statusCode(200).extract().jsonPath().getList("ui.nodes.attributes.name", String.class))
                .noneMatch(name -> name != null && name.startsWith("passkey"));

        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        assertThat(api.request().header("X-Session-Token", token).queryParam("id", api.newSettingsFlow(token))
                .get("/self-service/settings/flows").then().statusCode(200).extract().jsonPath()
                .getList("ui.nodes.attributes.name", String.class))
                .noneMatch(name -> name != null && (name.startsWith("passkey") || name.startsWith("webauthn")));

        api.submit(login, Map.of("passkey_login", "{\"id\":\"x\"}")).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'method' }.messages[0].id", equalTo(4000002));
        api.request().header("X-Session-Token", token).contentType(ContentType.JSON)
                .queryParam("flow", api.newSettingsFlow(token))
                .body(Map.of("passkey_settings_register", new SoftAuthenticator().create(
                        "{\"publicKey\":{\"challenge\":\"AAAA\",\"user\":{\"id\":\"AAAA\"}}}", PasskeyTest.ORIGIN,
                        PasskeyTest.RP_ID, true)))
                .post("/self-service/settings").then().statusCode(400);
    }
}
