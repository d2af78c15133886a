package dev.iris.passkey;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.SoftAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Security keys as a second factor (Kratos's {@code webauthn} method), over the api with a software authenticator
 * that does no user verification (a plain security key): added in settings, the identity then needs it after an email
 * sign-in, the aal2 prompt asks for exactly its keys, and the key raises the session to AAL2. Every broken ceremony —
 * another identity's key, a wrong origin, a replay, a counter that went back — is a 400 that raises nothing; removing
 * the key (user or admin) brings the identity back to AAL1.
 */
@QuarkusTest
class SecurityKeyTest {

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Test
    void aSecurityKeyIsTheSecondFactorAfterAnEmailSignIn() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator key = new SoftAuthenticator();
        String first = api.signIn(email);
        register(first, key, "YubiKey").then().statusCode(200).body("state", equalTo("success"))
                .body("ui.nodes.find { it.attributes.name == 'webauthn_remove' }.meta.label.id", equalTo(1050018))
                .body("ui.nodes.find { it.attributes.name == 'webauthn_remove' }.meta.label.context.display_name",
                        equalTo("YubiKey"));
        api.whoami(first).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal2"))
                .body("authentication_methods.method", equalTo(List.of("code", "webauthn")));
        assertThat(availableAal(identity)).isEqualTo("aal2");

        String aal1 = api.signIn(email);
        api.whoami(aal1).then().statusCode(403).body("error.id", equalTo("session_aal2_required"));
        String flow = aal2Flow(aal1);
        JsonPath shown = flowJson(aal1, flow);
        assertThat(shown.getString("ui.nodes.find { it.attributes.name == 'webauthn_login_trigger' }"
                + ".attributes.onclickTrigger")).isEqualTo("oryWebAuthnLogin");
        JsonObject publicKey = new JsonObject(options(shown)).getJsonObject("publicKey");
        assertThat(publicKey.getString("userVerification")).isEqualTo("discouraged");
        assertThat(publicKey.getJsonArray("allowCredentials").getJsonObject(0).getString("id"))
                .as("the prompt names the identity's key").isEqualTo(java.util.Base64.getUrlEncoder()
                        .withoutPadding().encodeToString(key.credentialId()));

        Response upgraded = secondFactor(aal1, flow, key.get(options(shown), PasskeyTest.ORIGIN, PasskeyTest.RP_ID,
                false));
        upgraded.then().statusCode(200).body("session_token", not(equalTo(aal1)))
                .body("session.authenticator_assurance_level", equalTo("aal2"));
        api.whoami(upgraded.path("session_token")).then().statusCode(200)
                .body("authentication_methods.method", equalTo(List.of("code", "webauthn")));
    }

    @Test
    void everyBrokenSecondFactorCeremonyIsA400AndRaisesNothing() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        SoftAuthenticator key = new SoftAuthenticator();
        register(api.signIn(email), key, null).then().statusCode(200);
        String otherEmail = Api.uniqueEmail();
        api.createIdentity(otherEmail);
        SoftAuthenticator otherKey = new SoftAuthenticator();
        register(api.signIn(otherEmail), otherKey, null).then().statusCode(200);

        // A flow takes three submissions (iris.code.max-attempts): two refusals per flow here.
        String aal1 = api.signIn(email);
        String flow = aal2Flow(aal1);
        String options = options(flowJson(aal1, flow));
        assertRefused(secondFactor(aal1, flow, otherKey.get(options, PasskeyTest.ORIGIN, PasskeyTest.RP_ID, false)),
                4000015);
        assertRefused(secondFactor(aal1, flow, key.get(options, "https://evil.example", PasskeyTest.RP_ID, false)),
                4000043);
        flow = aal2Flow(aal1);
        options = options(flowJson(aal1, flow));
        assertRefused(secondFactor(aal1, flow, key.get(options, PasskeyTest.ORIGIN, "evil.example", false)),
                4000043);
        assertRefused(secondFactor(aal1, flow, "{\"id\":\"x\"}"), 4000001);
        api.whoami(aal1).then().statusCode(403);
    }

    /** Five second-factor attempts per identity in 5 minutes: the replay and the clone get an identity of their own. */
    @Test
    void aReplayedOrClonedKeyRaisesNothing() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        SoftAuthenticator key = new SoftAuthenticator();
        register(api.signIn(email), key, null).then().statusCode(200);
        String aal1 = api.signIn(email);
        String flow = aal2Flow(aal1);
        String options = options(flowJson(aal1, flow));
        key.counter(9);
        String used = key.get(options, PasskeyTest.ORIGIN, PasskeyTest.RP_ID, false);
        secondFactor(aal1, flow, used).then().statusCode(200);
        String again = api.signIn(email);
        assertRefused(secondFactor(again, aal2Flow(again), used), 4000043); // another flow's challenge
        key.counter(4); // went back after 9: a cloned key
        String cloneFlow = aal2Flow(again);
        assertRefused(secondFactor(again, cloneFlow, key.get(options(flowJson(again, cloneFlow)), PasskeyTest.ORIGIN,
                PasskeyTest.RP_ID, false)), 4000043);
        api.whoami(again).then().statusCode(403);
    }

    @Test
    void removingTheKeyBringsTheIdentityBackToAal1() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator key = new SoftAuthenticator();
        SoftAuthenticator spare = new SoftAuthenticator();
        String token = api.signIn(email);
        register(token, key, null).then().statusCode(200);
        register(token, spare, null).then().statusCode(200);
        api.admin().get("/admin/identities/" + identity + "/security-keys").then().statusCode(200)
                .body("size()", equalTo(2)).body("type", hasItem("webauthn"))
                .body("[0].display_name", equalTo("Security key 1"));
        api.admin().get("/admin/identities/" + identity + "/passkeys").then().statusCode(200).body("size()", equalTo(0));

        String flow = api.newSettingsFlow(token);
        api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("webauthn_remove", HexFormat.of().formatHex(key.credentialId())))
                .post("/self-service/settings").then().statusCode(200).body("state", equalTo("success"));
        assertThat(availableAal(identity)).as("the spare key is left").isEqualTo("aal2");

        String aal1 = api.signIn(email);
        api.admin().delete("/admin/identities/" + identity + "/credentials/webauthn").then().statusCode(204);
        assertThat(availableAal(identity)).isEqualTo("aal1");
        api.whoami(aal1).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal1"));
        api.whoami(token).then().statusCode(200); // removing keys ends no session
    }

    /** Settings as webauthn.js posts them: the attestation in webauthn_register, no method. */
    private Response register(String token, SoftAuthenticator key, String name) {
        String flow = api.newSettingsFlow(token);
        String options = api.request().header("X-Session-Token", token).queryParam("id", flow)
                .get("/self-service/settings/flows").then().statusCode(200).extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'webauthn_register_trigger' }.attributes.value");
        JsonObject selection = new JsonObject(options).getJsonObject("publicKey")
                .getJsonObject("authenticatorSelection");
        assertThat(selection.getString("userVerification")).isEqualTo("discouraged");
        Map<String, String> body = new java.util.HashMap<>(Map.of("webauthn_register",
                key.create(options, PasskeyTest.ORIGIN, PasskeyTest.RP_ID, false)));
        if (name != null) {
            body.put("webauthn_register_displayname", name);
        }
        return api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(body).post("/self-service/settings");
    }

    private String aal2Flow(String token) {
        return api.request().header("X-Session-Token", token).queryParam("aal", "aal2")
                .get("/self-service/login/api").then().statusCode(200)
                .body("ui.nodes.attributes.name", hasItem("webauthn_login")).extract().path("id");
    }

    private JsonPath flowJson(String token, String flow) {
        return api.request().header("X-Session-Token", token).queryParam("id", flow).get("/self-service/login/flows")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String options(JsonPath flow) {
        return flow.getString("ui.nodes.find { it.attributes.name == 'webauthn_login_trigger' }.attributes.value");
    }

    /** As webauthn.js posts the form: no method, the assertion in webauthn_login. */
    private Response secondFactor(String token, String flow, String assertion) {
        return api.request().contentType(ContentType.JSON).header("X-Session-Token", token).queryParam("flow", flow)
                .body(Map.of("webauthn_login", assertion)).post("/self-service/login");
    }

    private static void assertRefused(Response answer, long messageId) {
        answer.then().statusCode(400).body("ui.messages[0].id", equalTo((int) messageId));
    }

    private String availableAal(String identity) {
        return pool.preparedQuery("SELECT available_aal FROM identities WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(identity))).await().indefinitely().iterator().next()
                .getString(0);
    }
}
