package dev.iris.web;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * An identity's preferred language (the {@code locale} trait), set in settings: its emails are written in it whatever
 * language the request that caused them spoke; cleared, they follow the request again. A language Iris does not speak
 * is refused on the field.
 */
@QuarkusTest
class LocaleTraitTest {

    private final Api api = Api.local().as(Api.randomIp());

    @Test
    void emailsFollowTheIdentitysLanguageOnceChosen() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);

        profile(token, Map.of("email", email, "locale", "fr")).then().statusCode(200);
        api.whoami(token).then().statusCode(200).body("identity.traits.locale", equalTo("fr"));

        assertThat(signInMailSubject(email, "de-DE,de;q=0.9")).as("the identity's French wins over the request's German")
                .isEqualTo("Votre lien de connexion");

        profile(token, Map.of("email", email, "locale", "")).then().statusCode(200);
        api.whoami(token).then().statusCode(200).body("identity.traits.locale", nullValue());
        assertThat(signInMailSubject(email, "de-DE,de;q=0.9")).isEqualTo("Ihr Anmeldelink");
    }

    @Test
    void aLanguageIrisDoesNotSpeakIsRefusedOnTheField() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        Response refused = profile(token, Map.of("email", email, "locale", "xx"));
        refused.then().statusCode(400);
        List<Map<String, Object>> nodes = refused.path("ui.nodes.findAll { it.attributes.name == 'traits.locale' }");
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("messages").toString()).contains("4000001").contains("en, de, fr");
        api.whoami(token).then().statusCode(200).body("identity.traits.locale", nullValue());
    }

    /** The built-in settings page's own form sends the language alone: an address change waiting stays waiting. */
    @Test
    void theLanguageAloneKeepsAPendingAddressChange() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = api.newSettingsFlow(token);
        String newEmail = Api.uniqueEmail();
        Response asked = post(token, flow, Map.of("email", newEmail));
        asked.then().statusCode(200);
        assertThat(asked.<List<String>>path("ui.nodes.attributes.name")).contains("code");

        Response languageOnly = post(token, flow, Map.of("locale", "de"));
        languageOnly.then().statusCode(200);
        assertThat(languageOnly.<List<String>>path("ui.nodes.attributes.name")).as("still waiting for the code")
                .contains("code");
        api.whoami(token).then().statusCode(200).body("identity.traits.locale", equalTo("de"))
                .body("identity.traits.email", equalTo(email));
    }

    @Test
    void theSettingsFlowOffersTheTrait() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        Response flow = api.request().header("X-Session-Token", token).get("/self-service/settings/api");
        List<String> names = flow.path("ui.nodes.attributes.name");
        assertThat(names).contains("traits.email", "traits.locale");
    }

    private Response profile(String token, Map<String, String> traits) {
        return post(token, api.newSettingsFlow(token), traits);
    }

    private Response post(String token, String flow, Map<String, String> traits) {
        return api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "profile", "traits", traits)).post("/self-service/settings");
    }

    private String signInMailSubject(String email, String acceptLanguage) throws Exception {
        int before = Smtp.messagesTo(email).size();
        Api client = Api.local().as(Api.randomIp());
        client.request().contentType(ContentType.JSON).header("Accept-Language", acceptLanguage)
                .queryParam("flow", client.newLoginFlow()).body(Map.of("method", "code", "identifier", email))
                .post("/self-service/login").then().statusCode(400);
        MimeMessage mail = Smtp.await(email, before + 1, Duration.ofSeconds(20)).get(before);
        return mail.getSubject();
    }
}
