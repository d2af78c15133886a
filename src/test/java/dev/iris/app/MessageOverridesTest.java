package dev.iris.app;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A deployment rewords any message without a rebuild: a directory of properties files named as the bundles
 * ({@code iris.messages.overrides}). Overridden keys change in that language only — pages, emails (subject and
 * bodies) and API ui texts — every other key stays as built; a file, key or parameter Iris does not know stops the
 * start.
 */
@QuarkusTest
@TestProfile(MessageOverridesTest.WithOverrides.class)
class MessageOverridesTest {

    public static class WithOverrides implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path directory = Files.createTempDirectory("iris-messages");
                Files.writeString(directory.resolve("page_de.properties"), "loginHeading=Willkommen zurück\n",
                        StandardCharsets.UTF_8);
                Files.writeString(directory.resolve("mail.properties"), """
                        loginCodeSubject=Your key to Acme
                        loginCodeIntro=Tap below to step into {appName}:
                        """, StandardCharsets.UTF_8);
                Files.writeString(directory.resolve("ui_fr.properties"), "m1010015=Recevoir un code\n",
                        StandardCharsets.UTF_8);
                Files.createDirectory(directory.resolve("..data")); // a mounted ConfigMap's own entries: ignored
                return Map.of("iris.messages.overrides", directory.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Api api = Api.local().as(Api.randomIp());

    @Test
    void anOverriddenPageMessageChangesInItsLanguageOnly() {
        assertThat(loginPage("de")).contains("<h1>Willkommen zurück</h1>").contains("Anmeldelink senden");
        assertThat(loginPage("en")).contains("<h1>Sign in</h1>");
        assertThat(loginPage("fr")).contains("<h1>Connexion</h1>");
    }

    @Test
    void anOverriddenEmailMessageChangesSubjectAndBodies() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        api.send(api.newLoginFlow(), email).then().statusCode(400);
        MimeMessage mail = Smtp.await(email, 1, Duration.ofSeconds(20)).get(0);
        assertThat(mail.getSubject()).isEqualTo("Your key to Acme");
        assertThat(dev.iris.testsupport.LoginMail.textOf(mail)).contains("Tap below to step into Iris:")
                .contains("Hi,");
    }

    @Test
    void anOverriddenUiTextChangesForThatLanguage() {
        Response french = api.request().header("Accept-Language", "fr").get("/self-service/login/api");
        assertThat(french.<List<String>>path("ui.nodes.meta.label.text")).contains("Recevoir un code");
        Response german = api.request().header("Accept-Language", "de").get("/self-service/login/api");
        assertThat(german.<List<String>>path("ui.nodes.meta.label.text")).contains("Anmeldecode senden");
    }

    @Test
    void whatIrisDoesNotKnowStopsTheStart(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("page_de.properties");
        Files.writeString(file, "loginHeadline=Hallo\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("loginHeadline").withMessageContaining("no message of that bundle");
        Files.writeString(file, "codeExpires=Noch {minuten} Minuten\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("{minuten}").withMessageContaining("[minutes]");
        Files.writeString(file, "codeExpires=Noch {minutes} {#if minutes == 1}Minute{#else}Minuten{/if}\n");
        assertThat(MessageOverrides.read(directory).get("page").get("de")).containsKey("codeExpires");
        Files.writeString(file, "loginHeading={mail:greeting}\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("{mail:greeting}");
        Files.writeString(file, "codeExpires=Noch {minutes.toString} Minuten\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("minutes.toString");
        Files.delete(file);
        Files.writeString(directory.resolve("ui.properties"), "m1010015=Get a code\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("English ui texts cannot be overridden");
        Files.delete(directory.resolve("ui.properties"));
        Files.writeString(directory.resolve("page_es.properties"), "loginHeading=Hola\n");
        assertThatIllegalStateException().isThrownBy(() -> MessageOverrides.read(directory))
                .withMessageContaining("page_es.properties");
    }

    private String loginPage(String lang) {
        Response created = api.request().redirects().follow(false).get("/self-service/login/browser");
        String location = created.header("Location");
        return api.request().cookie("iris_csrf", created.cookie("iris_csrf")).queryParam("lang", lang)
                .queryParam("flow", location.substring(location.indexOf("flow=") + 5)).get("/login").body().asString();
    }
}
