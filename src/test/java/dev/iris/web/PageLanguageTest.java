package dev.iris.web;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in pages speak the browser's language (Accept-Language, quality values honoured) unless the page's
 * switcher chose another, which a cookie keeps; they say which ({@code <html lang>}, {@code Content-Language}); a
 * language Iris does not speak is English. The API's flows keep their ids and stay English unless Accept-Language
 * asks for another language, then their texts are translated.
 */
@QuarkusTest
class PageLanguageTest {

    private final Api api = Api.local().as(Api.randomIp());

    @Test
    void aFrenchBrowserGetsAFrenchPage() {
        Response page = loginPage("fr-CH, fr;q=0.9, en;q=0.8", null, null);
        assertThat(page.header("Content-Language")).isEqualTo("fr");
        assertThat(page.body().asString()).contains("<html lang=\"fr\">").contains("<h1>Connexion</h1>")
                .contains("Envoyer le lien de connexion").contains("aria-label=\"Langue\"")
                .doesNotContain("Send sign-in link");
    }

    @Test
    void qualityValuesDecideAndAnUnknownLanguageIsEnglish() {
        assertThat(loginPage("fr;q=0.4, de;q=0.8", null, null).body().asString()).contains("<html lang=\"de\">")
                .contains("<h1>Anmelden</h1>");
        Response unknown = loginPage("pt-BR, pt;q=0.9", null, null);
        assertThat(unknown.header("Content-Language")).isEqualTo("en");
        assertThat(unknown.body().asString()).contains("<html lang=\"en\">").contains("<h1>Sign in</h1>");
        assertThat(loginPage(null, null, null).body().asString()).contains("<h1>Sign in</h1>");
    }

    @Test
    void theSwitcherOffersEveryLanguageAndItsChoicePersistsInACookie() {
        Response english = loginPage("en", null, null);
        String html = english.body().asString();
        assertThat(html).contains(">Deutsch</a>").contains(">Français</a>").contains("aria-current=\"true\" lang=\"en\"");
        assertThat(html).containsPattern("href=\"\\?flow=[0-9a-f-]+&amp;lang=de\"");

        Response chosen = loginPage("fr", "de", null);
        assertThat(chosen.body().asString()).contains("<html lang=\"de\">");
        String cookie = chosen.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("iris_lang="))
                .findFirst().orElseThrow();
        assertThat(cookie).startsWith("iris_lang=de;").contains("Path=/").contains("Max-Age=31536000")
                .contains("SameSite=Lax");

        // Later pages, without the parameter: the cookie wins over the browser's French.
        Response later = loginPage("fr", null, "de");
        assertThat(later.body().asString()).contains("<html lang=\"de\">").contains("<h1>Anmelden</h1>");
        assertThat(later.headers().getValues("Set-Cookie")).noneMatch(c -> c.startsWith("iris_lang="));
        // A cookie naming a language Iris does not speak is ignored.
        assertThat(loginPage("fr", null, "xx").body().asString()).contains("<html lang=\"fr\">");
    }

    @Test
    void theCheckYourEmailPageAndItsEmailSpeakTheChosenLanguage() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Response created = api.request().redirects().follow(false).header("Accept-Language", "de-DE,de;q=0.9")
                .get("/self-service/login/browser");
        String csrf = created.cookie("iris_csrf");
        String location = created.header("Location");
        String flow = location.substring(location.indexOf("flow=") + 5);
        String token = api.request().cookie("iris_csrf", csrf).accept(ContentType.JSON).queryParam("id", flow)
                .get("/self-service/login/flows").path("ui.nodes[0].attributes.value");
        api.request().redirects().follow(false).cookie("iris_csrf", csrf).cookie("iris_lang", "fr")
                .header("Accept-Language", "de").contentType(ContentType.URLENC)
                .formParams(Map.of("csrf_token", token, "method", "code", "identifier", email))
                .queryParam("flow", flow).post("/self-service/login").then().statusCode(303);
        String sent = api.request().cookie("iris_csrf", csrf).cookie("iris_lang", "fr").queryParam("flow", flow)
                .get("/login").body().asString();
        assertThat(sent).contains("<html lang=\"fr\">").contains("Consultez vos e-mails")
                .containsPattern("Le code expire dans \\d+ minutes\\.");
        // The switcher's choice reaches the email too: it is the language this browser asked for.
        assertThat(Smtp.await(email, 1, Duration.ofSeconds(20)).get(0).getSubject())
                .isEqualTo("Votre lien de connexion");
    }

    @Test
    void apiFlowsKeepTheirIdsAndAreEnglishUnlessAskedOtherwise() {
        Response english = api.request().get("/self-service/login/api");
        Response german = api.request().header("Accept-Language", "de-DE,de;q=0.9").get("/self-service/login/api");
        german.then().statusCode(200).header("Content-Language", "de");
        assertThat(english.header("Content-Language")).isNull();
        List<Integer> ids = english.path("ui.nodes.meta.label.id");
        assertThat(german.<List<Integer>>path("ui.nodes.meta.label.id")).isEqualTo(ids);
        assertThat(english.<List<String>>path("ui.nodes.meta.label.text")).contains("Send sign in code");
        assertThat(german.<List<String>>path("ui.nodes.meta.label.text")).contains("Anmeldecode senden")
                .doesNotContain("Send sign in code");
        Response french = api.request().header("Accept-Language", "fr").get("/self-service/registration/api");
        assertThat(french.<List<String>>path("ui.nodes.meta.label.text")).contains("S'inscrire avec un code");
    }

    private Response loginPage(String acceptLanguage, String lang, String cookie) {
        Response created = api.request().redirects().follow(false).get("/self-service/login/browser");
        String location = created.header("Location");
        var request = api.request().cookie("iris_csrf", created.cookie("iris_csrf"))
                .queryParam("flow", location.substring(location.indexOf("flow=") + 5));
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        if (lang != null) {
            request.queryParam("lang", lang);
        }
        if (cookie != null) {
            request.cookie("iris_lang", cookie);
        }
        Response page = request.get("/login");
        page.then().statusCode(200);
        return page;
    }
}
