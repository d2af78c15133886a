package dev.iris.mail;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email of a sign-in is written in the language the sending request asked for (Accept-Language, quality values
 * honoured), checked in the real SMTP capture: subject, text and HTML; English without the header or for a language
 * Iris does not speak.
 */
@QuarkusTest
class LocalisedMailTest {

    private final Api api = Api.local().as(Api.randomIp());

    @jakarta.inject.Inject
    dev.iris.testsupport.TestClock clock;

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void germanForAGermanRequestEnglishWithoutOne() {
        MimeMessage german = signInMail("de-DE,de;q=0.9");
        MimeMessage english = signInMail(null);
        MimeMessage french = signInMail("fr");
        MimeMessage unknown = signInMail("pt-BR,pt;q=0.9");

        assertThat(subject(german)).isEqualTo("Ihr Anmeldelink");
        assertThat(LoginMail.textOf(german)).startsWith("Hallo,")
                .contains("Klicken Sie unten, um sich bei Iris anzumelden:")
                .containsPattern("Dieser Link läuft in \\d+ Minuten ab\\.");
        assertThat(html(german)).contains("<html lang=\"de\">").contains("Bei Iris anmelden")
                .contains("Oder öffnen Sie diese Adresse:");
        assertThat(code(german)).matches("\\d{6}");

        assertThat(subject(english)).isEqualTo("Your sign-in link");
        assertThat(LoginMail.textOf(english)).startsWith("Hi,").containsPattern("This link expires in \\d+ minutes\\.");
        assertThat(html(english)).contains("<html lang=\"en\">").contains("Sign in to Iris");

        assertThat(subject(french)).isEqualTo("Votre lien de connexion");
        assertThat(LoginMail.textOf(french)).startsWith("Bonjour,").containsPattern("Ce lien expire dans \\d+ minutes\\.");
        assertThat(html(french)).contains("<html lang=\"fr\">");

        assertThat(subject(unknown)).as("a language Iris does not speak: English").isEqualTo("Your sign-in link");
    }

    @Test
    void theFlowKeepsItsLanguageForAResendWithoutTheHeader() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        send(api, flow, email, "fr").then().statusCode(400);
        Smtp.await(email, 1, Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(61)); // past the resend cooldown
        api.resend(flow, email).then().statusCode(400);
        MimeMessage resent = Smtp.await(email, 2, Duration.ofSeconds(20)).get(1);
        assertThat(subject(resent)).isEqualTo("Votre lien de connexion");
    }

    private MimeMessage signInMail(String acceptLanguage) {
        String email = Api.uniqueEmail();
        Api client = Api.local().as(Api.randomIp());
        client.createIdentity(email);
        send(client, client.newLoginFlow(), email, acceptLanguage).then().statusCode(400);
        return Smtp.await(email, 1, Duration.ofSeconds(20)).get(0);
    }

    private static io.restassured.response.Response send(Api client, String flow, String email,
                                                         String acceptLanguage) {
        var request = client.request().contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "code", "identifier", email));
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        return request.post("/self-service/login");
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String html(MimeMessage message) {
        try {
            jakarta.mail.Multipart parts = (jakarta.mail.Multipart) message.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/html")) {
                    return (String) parts.getBodyPart(i).getContent();
                }
            }
            throw new AssertionError("no HTML part");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String code(MimeMessage message) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^\\s+(\\d{6})\\s*$")
                .matcher(LoginMail.textOf(message));
        return line.find() ? line.group(1) : "";
    }
}
