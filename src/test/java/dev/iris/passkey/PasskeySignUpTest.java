package dev.iris.passkey;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.SoftAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sign-up with a passkey (Kratos's {@code passkey_register}) under Iris's rule that no account exists on an unproven
 * address: the passkey is made at once, the address gets its code, and the account — with the passkey — starts when
 * the code is entered. A passkey never reaches an account whose address was proven elsewhere (a link opened by
 * someone else), nor an account that existed before.
 */
@QuarkusTest
class PasskeySignUpTest {

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Test
    void aPasskeyMadeAtSignUpIsStoredOnceTheCodeProvesTheAddress() {
        String email = Api.uniqueEmail();
        SoftAuthenticator passkey = new SoftAuthenticator();
        String flow = api.newRegistrationFlow();
        JsonPath shown = flowJson(flow);
        assertThat(shown.getString("ui.nodes.find { it.attributes.name == 'passkey_register_trigger' }"
                + ".attributes.onclickTrigger")).isEqualTo("oryPasskeyRegistration");
        assertThat(shown.getInt("ui.nodes.find { it.attributes.name == 'passkey_register_trigger' }.meta.label.id"))
                .isEqualTo(1040007);
        JsonObject createData = new JsonObject(createData(shown));
        assertThat(createData.getString("displayNameFieldName")).isEqualTo("traits.email");

        signUpWith(flow, email, passkey).then().statusCode(400).body("state", equalTo("sent_email"));
        assertThat(passkeysOf(email)).as("nothing stored before the address is proven").isZero();
        LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(20)).get(0));
        String identity = api.completeSignUp(flow, email, mail.code()).then().statusCode(200)
                .extract().path("identity.id");
        assertThat(passkeysOf(email)).isEqualTo(1);

        String login = api.newLoginFlow();
        api.submit(login, Map.of("passkey_login", passkey.get(challenge(login), PasskeyTest.ORIGIN,
                        PasskeyTest.RP_ID, true)))
                .then().statusCode(200).body("session.identity.id", equalTo(identity))
                .body("session.authenticator_assurance_level", equalTo("aal2"));
    }

    /** The link may be opened by anyone who has the email: an attacker's sign-up must not plant their passkey. */
    @Test
    void aPasskeyIsDroppedWhenTheLinkProvesTheAddressElsewhere() {
        String email = Api.uniqueEmail();
        SoftAuthenticator attacker = new SoftAuthenticator();
        String flow = api.newRegistrationFlow();
        signUpWith(flow, email, attacker).then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(20)).get(0));
        api.register(flow, Map.of("method", "code", "code", mail.linkToken())).then().statusCode(200);
        assertThat(passkeysOf(email)).isZero();
    }

    @Test
    void aPasskeyNeverReachesAnAccountThatExistedBefore() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        SoftAuthenticator passkey = new SoftAuthenticator();
        String flow = api.newRegistrationFlow();
        signUpWith(flow, email, passkey).then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(20)).get(0));
        api.completeSignUp(flow, email, mail.code()).then().statusCode(200);
        assertThat(passkeysOf(email)).isZero();
    }

    @Test
    void aPasskeyFromAnotherOriginIsRefusedAndNothingIsSent() {
        String email = Api.uniqueEmail();
        String flow = api.newRegistrationFlow();
        String created = new SoftAuthenticator().create(createOptions(flowJson(flow)), "https://evil.example",
                PasskeyTest.RP_ID, true);
        api.register(flow, Map.of("traits", Map.of("email", email), "passkey_register", created))
                .then().statusCode(400).body("ui.messages[0].id", equalTo(4000001))
                .body("state", equalTo("choose_method"));
        assertThat(Smtp.messagesTo(email)).isEmpty();
    }

    /** As webauthn.js posts the sign-up form: the address and the new passkey, no method. */
    private Response signUpWith(String flow, String email, SoftAuthenticator passkey) {
        String created = passkey.create(createOptions(flowJson(flow)), PasskeyTest.ORIGIN, PasskeyTest.RP_ID, true);
        return api.register(flow, Map.of("traits", Map.of("email", email), "passkey_register", created));
    }

    /** The creation options in passkey_create_data, named after the address as webauthn.js does. */
    private static String createOptions(JsonPath flow) {
        return new JsonObject(createData(flow)).getJsonObject("credentialOptions").encode();
    }

    private static String createData(JsonPath flow) {
        return flow.getString("ui.nodes.find { it.attributes.name == 'passkey_create_data' }.attributes.value");
    }

    private JsonPath flowJson(String flow) {
        return api.request().queryParam("id", flow).get("/self-service/registration/flows").then().statusCode(200)
                .extract().jsonPath();
    }

    private String challenge(String flow) {
        return api.request().queryParam("id", flow).get("/self-service/login/flows").then().statusCode(200)
                .extract().jsonPath()
                .getString("ui.nodes.find { it.attributes.name == 'passkey_challenge' }.attributes.value");
    }

    private long passkeysOf(String email) {
        return pool.preparedQuery("SELECT count(*) FROM webauthn_credentials w JOIN identities i "
                        + "ON i.id = w.identity_id WHERE i.email = $1")
                .execute(Tuple.of(email)).await().indefinitely().iterator().next().getLong(0);
    }
}
