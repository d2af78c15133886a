package dev.iris.passkey;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.SoftAuthenticator;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Passkeys over the api, with a software authenticator (webauthn4j's model and CBOR): add one in settings, sign in
 * with it and no address (AAL2, method passkey), and every way a ceremony must fail — wrong origin, wrong rp id, no
 * user verification, a replayed or foreign challenge, a counter that went back, an unknown credential — each a 400
 * with a Kratos message and nothing stored or signed in.
 */
@QuarkusTest
class PasskeyTest {

    static final String ORIGIN = "http://localhost:8080";
    static final String RP_ID = "localhost";

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aPasskeyAddedInSettingsSignsInWithoutAnAddressAtAal2() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator passkey = new SoftAuthenticator();
        register(api.signIn(email), passkey).then().statusCode(200).body("state", equalTo("success"))
                .body("ui.nodes.attributes.name", hasItem("passkey_remove"));

        String flow = api.newLoginFlow();
        JsonPath shown = flowJson(flow);
        assertThat(shown.getString("ui.nodes.find { it.attributes.name == 'passkey_login_trigger' }"
                + ".attributes.onclickTrigger")).isEqualTo("oryPasskeyLogin");
        assertThat(shown.getString("ui.nodes.find { it.attributes.name == 'identifier' }.attributes.autocomplete"))
                .as("browsers offer passkeys in the field's autofill only with this hint").isEqualTo("username webauthn");
        Response signedIn = login(flow, passkey.get(challenge(flow), ORIGIN, RP_ID, true));
        signedIn.then().statusCode(200).body("session.identity.id", equalTo(identity))
                .body("session.authenticator_assurance_level", equalTo("aal2"))
                .body("session.authentication_methods[0].method", equalTo("passkey"));
        api.whoami(signedIn.path("session_token")).then().statusCode(200);
    }

    @Test
    void everyBrokenCeremonyIsA400AndSignsNobodyIn() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator passkey = new SoftAuthenticator();
        register(api.signIn(email), passkey).then().statusCode(200);
        long sessions = sessionsOf(identity);

        assertRefused(loginWith(passkey, "https://evil.example", RP_ID, true), 4000043);
        assertRefused(loginWith(passkey, ORIGIN, "evil.example", true), 4000043);
        assertRefused(loginWith(passkey, ORIGIN, RP_ID, false), 4000043);
        assertRefused(loginWith(new SoftAuthenticator(), ORIGIN, RP_ID, true), 4000015);
        String flow = api.newLoginFlow();
        String other = api.newLoginFlow();
        assertRefused(login(flow, passkey.get(challenge(other), ORIGIN, RP_ID, true)), 4000043); // foreign challenge
        assertRefused(login(flow, "{\"id\":\"x\"}"), 4000001);
        assertThat(sessionsOf(identity)).isEqualTo(sessions);

        // The challenge is single use: the same response again (the flow's challenge is spent) signs nobody in.
        passkey.counter(7);
        String used = passkey.get(challenge(flow), ORIGIN, RP_ID, true);
        login(flow, used).then().statusCode(200);
        assertThat(sessionsOf(identity)).isEqualTo(sessions + 1);
        assertRefused(login(flow, used), 4000043);
        // A counter that goes back after 7: a cloned authenticator.
        passkey.counter(3);
        assertRefused(loginWith(passkey, ORIGIN, RP_ID, true), 4000043);
        assertThat(sessionsOf(identity)).isEqualTo(sessions + 1);
    }

    @Test
    void aRemovedPasskeyNoLongerSignsIn() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        SoftAuthenticator passkey = new SoftAuthenticator();
        String token = api.signIn(email);
        String settings = register(token, passkey).then().statusCode(200).extract().path("id");
        api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", settings)
                .body(Map.of("method", "passkey", "passkey_remove", HexFormat.of().formatHex(passkey.credentialId())))
                .post("/self-service/settings").then().statusCode(200).body("state", equalTo("success"));
        assertRefused(loginWith(passkey, ORIGIN, RP_ID, true), 4000015);
    }

    /** The script Kratos UIs load cross-origin (crossorigin=anonymous + integrity) is served with CORS and its hash. */
    @Test
    void theWebAuthnScriptLoadsCrossOriginAndMatchesItsIntegrity() throws Exception {
        Response script = api.request().header("Origin", "http://ui.example").get("/.well-known/ory/webauthn.js");
        script.then().statusCode(200).header("Access-Control-Allow-Origin", "*")
                .header("Content-Type", org.hamcrest.Matchers.containsString("javascript"));
        String integrity = "sha512-" + java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-512").digest(script.asByteArray()));
        assertThat(integrity).isEqualTo(api.request().accept(ContentType.JSON).get("/self-service/login/browser")
                .then().statusCode(200).extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.id == 'webauthn_script' }.attributes.integrity"));
    }

    /** An assertion for a flow that expired meanwhile signs nobody in: 410 with the fresh flow to use. */
    @Test
    void anExpiredFlowsPasskeySignInIsRefused() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator passkey = new SoftAuthenticator();
        register(api.signIn(email), passkey).then().statusCode(200);
        long sessions = sessionsOf(identity);
        String flow = api.newLoginFlow();
        String assertion = passkey.get(challenge(flow), ORIGIN, RP_ID, true);
        clock.advance(java.time.Duration.ofMinutes(61));
        login(flow, assertion).then().statusCode(410).body("error.id", equalTo("self_service_flow_expired"))
                .body("use_flow_id", org.hamcrest.Matchers.notNullValue());
        assertThat(sessionsOf(identity)).isEqualTo(sessions);
    }

    /** Administrators list and remove passkeys; deleting the identity deletes its passkeys. */
    @Test
    void adminsListAndRemovePasskeysAndTheyGoWithTheirIdentity() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        SoftAuthenticator first = new SoftAuthenticator();
        SoftAuthenticator second = new SoftAuthenticator();
        String token = api.signIn(email);
        register(token, first).then().statusCode(200);
        register(token, second).then().statusCode(200);
        String firstId = HexFormat.of().formatHex(first.credentialId());
        api.admin().get("/admin/identities/" + identity + "/passkeys").then().statusCode(200)
                .body("size()", equalTo(2)).body("id", hasItem(firstId))
                .body("[0].display_name", equalTo("Passkey 1")).body("[1].display_name", equalTo("Passkey 2"));
        api.admin().delete("/admin/identities/" + identity + "/passkeys/" + firstId).then().statusCode(204);
        api.admin().delete("/admin/identities/" + identity + "/passkeys/" + firstId).then().statusCode(404);
        assertRefused(loginWith(first, ORIGIN, RP_ID, true), 4000015);
        api.whoami(token).then().statusCode(200); // removing a passkey ends no session
        api.admin().get("/admin/identities/" + UUID.randomUUID() + "/passkeys").then().statusCode(404);

        api.admin().delete("/admin/identities/" + identity).then().statusCode(204);
        assertThat(pool.preparedQuery("SELECT count(*) FROM webauthn_credentials WHERE identity_id = $1")
                .execute(Tuple.of(UUID.fromString(identity))).await().indefinitely().iterator().next().getLong(0))
                .isZero();
    }

    @Test
    void aRegistrationFromAnotherOriginStoresNothing() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        String token = api.signIn(email);
        String flow = api.newSettingsFlow(token);
        api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "passkey", "passkey_settings_register",
                        new SoftAuthenticator().create(creationOptions(token, flow), "https://evil.example", RP_ID,
                                true)))
                .post("/self-service/settings").then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000001));
        assertThat(pool.preparedQuery("SELECT count(*) FROM webauthn_credentials WHERE identity_id = $1")
                .execute(Tuple.of(UUID.fromString(identity))).await().indefinitely().iterator().next().getLong(0))
                .isZero();
    }

    /** Settings as webauthn.js posts them: the attestation in passkey_settings_register, no method. */
    private Response register(String token, SoftAuthenticator passkey) {
        String flow = api.newSettingsFlow(token);
        return api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("passkey_settings_register",
                        passkey.create(creationOptions(token, flow), ORIGIN, RP_ID, true)))
                .post("/self-service/settings");
    }

    private String creationOptions(String token, String flow) {
        return api.request().header("X-Session-Token", token).queryParam("id", flow)
                .get("/self-service/settings/flows").then().statusCode(200).extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'passkey_create_data' }.attributes.value");
    }

    private JsonPath flowJson(String flow) {
        return api.request().queryParam("id", flow).get("/self-service/login/flows").then().statusCode(200)
                .extract().jsonPath();
    }

    private String challenge(String flow) {
        return flowJson(flow).getString("ui.nodes.find { it.attributes.name == 'passkey_challenge' }.attributes.value");
    }

    private Response loginWith(SoftAuthenticator passkey, String origin, String rpId, boolean verified) {
        String flow = api.newLoginFlow();
        return login(flow, passkey.get(challenge(flow), origin, rpId, verified));
    }

    /** As webauthn.js posts the form: no method, the assertion in passkey_login. */
    private Response login(String flow, String assertion) {
        return api.submit(flow, Map.of("passkey_login", assertion));
    }

    private static void assertRefused(Response answer, long messageId) {
        answer.then().statusCode(400).body("ui.messages[0].id", equalTo((int) messageId));
    }

    private long sessionsOf(String identity) {
        return pool.preparedQuery("SELECT count(*) FROM sessions WHERE identity_id = $1")
                .execute(Tuple.of(UUID.fromString(identity))).await().indefinitely().iterator().next().getLong(0);
    }
}
