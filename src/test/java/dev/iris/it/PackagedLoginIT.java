package dev.iris.it;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The acceptance, checked from outside on the packaged app: two prod-mode instances sharing Postgres
 * and Redis, a real SMTP server, nothing injected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedLoginIT {

    private PackagedApp first;
    private PackagedApp second;
    private final List<String> secretsSeen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void startTwoInstances() {
        Map<String, String> quickResend = Map.of("iris.ratelimit.resend-cooldown", "1s");
        first = PackagedApp.start("login-a", quickResend);
        second = PackagedApp.start("login-b", quickResend);
    }

    @AfterAll
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private LoginMail mailFor(String email, int index) {
        LoginMail mail = LoginMail.parse(Smtp.await(email, index + 1, Duration.ofSeconds(30)).get(index));
        secretsSeen.add(mail.code());
        secretsSeen.add(mail.linkToken());
        return mail;
    }

    private String token(Response signedIn) {
        String token = signedIn.path("session_token");
        secretsSeen.add(token);
        return token;
    }

    @Test
    @Order(1)
    void knownUserCodeThenWhoamiThenLogout() {
        Api api = first.api();
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400).body("state", equalTo("sent_email"))
                .body("ui.messages[0].id", equalTo(1010014));
        LoginMail mail = mailFor(email, 0);
        assertThat(Smtp.messagesTo(email)).hasSize(1);
        assertThat(mail.link()).startsWith(first.baseUrl() + "/login?flow=" + flow + "&code=");

        Response signedIn = api.redeemCode(flow, email, mail.code());
        signedIn.then().statusCode(200).body("session.authentication_methods[0].method", equalTo("code"));
        String token = token(signedIn);

        second.api().whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(email));
        api.logout(token).then().statusCode(204);
        api.whoami(token).then().statusCode(401);
        second.api().whoami(token).then().statusCode(401);
    }

    @Test
    @Order(1)
    void linkFromAFreshClientOnTheOtherInstance() {
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        String flow = first.api().newLoginFlow();
        first.api().send(flow, email).then().statusCode(400);
        LoginMail mail = mailFor(email, 0);

        Response signedIn = second.api().redeemLink(mail.flowId(), mail.linkToken());
        signedIn.then().statusCode(200).body("session.identity.traits.email", equalTo(email));
        second.api().whoami(token(signedIn)).then().statusCode(200);
        first.api().redeemLink(mail.flowId(), mail.linkToken()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
    }

    @Test
    @Order(1)
    void unknownUserLooksTheSameAndGetsNoEmail() {
        Api api = first.api();
        String known = Api.uniqueEmail();
        String unknown = Api.uniqueEmail();
        api.createIdentity(known);
        Response knownAnswer = api.send(api.newLoginFlow(), known);
        Response unknownAnswer = api.send(api.newLoginFlow(), unknown);

        assertThat(unknownAnswer.statusCode()).isEqualTo(knownAnswer.statusCode());
        assertThat(JsonShape.of(unknownAnswer.jsonPath().getMap("")))
                .isEqualTo(JsonShape.of(knownAnswer.jsonPath().getMap("")));
        mailFor(known, 0);
        Smtp.sleep(3_000);
        assertThat(Smtp.messagesTo(unknown)).isEmpty();
    }

    @Test
    @Order(1)
    void wrongCodesExhaustUsedSecretsFailResendReplaces() {
        Api api = second.api();
        String email = Api.uniqueEmail();
        api.createIdentity(email);

        String exhausted = api.newLoginFlow();
        api.send(exhausted, email).then().statusCode(400);
        LoginMail mail = mailFor(email, 0);
        String wrong = mail.code().equals("999999") ? "999998" : "999999";
        for (int i = 0; i < 3; i++) {
            api.redeemCode(exhausted, email, wrong).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        }
        api.redeemCode(exhausted, email, mail.code()).then().statusCode(400).body("ui.messages[0].id", equalTo(4000001));

        String resent = api.newLoginFlow();
        api.send(resent, email).then().statusCode(400);
        LoginMail old = mailFor(email, 1);
        Smtp.sleep(1_100);
        api.resend(resent, email).then().statusCode(400);
        LoginMail fresh = mailFor(email, 2);
        api.redeemCode(resent, email, old.code()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        api.redeemLink(resent, old.linkToken()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
        token(api.redeemLink(resent, fresh.linkToken()).then().statusCode(200).extract().response());

        String used = api.newLoginFlow();
        api.send(used, email).then().statusCode(400);
        LoginMail once = mailFor(email, 3);
        token(api.redeemCode(used, email, once.code()).then().statusCode(200).extract().response());
        api.redeemCode(used, email, once.code()).then().statusCode(400).body("ui.messages[0].id", equalTo(4010008));
    }

    @Test
    @Order(1)
    void sixteenConcurrentRedemptionsOverTwoInstancesExactlyOneWins() throws Exception {
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        String flow = first.api().newLoginFlow();
        first.api().send(flow, email).then().statusCode(400);
        LoginMail mail = mailFor(email, 0);

        List<Response> answers = Race.run(16, new java.util.concurrent.Callable<>() {
            private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public Response call() {
                PackagedApp target = n.getAndIncrement() % 2 == 0 ? first : second;
                return target.api().redeemCode(flow, email, mail.code());
            }
        });

        assertThat(answers).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.statusCode() == 400).hasSize(15);
        answers.stream().filter(r -> r.statusCode() == 200).forEach(this::token);
    }

    @Test
    @Order(2)
    void mailSentWhileSmtpIsDownIsDeliveredWhenItReturns() {
        Api api = first.api();
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        Smtp.stop();
        try {
            api.send(flow, email).then().statusCode(400);
            Smtp.sleep(5_000);
        } finally {
            Smtp.start();
        }
        LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(90)).get(0));
        secretsSeen.add(mail.code());
        secretsSeen.add(mail.linkToken());
        token(second.api().redeemCode(flow, email, mail.code()).then().statusCode(200).extract().response());
    }

    @Test
    @Order(3)
    void noPlaintextSecretInPostgresOrLogs() throws Exception {
        assertThat(secretsSeen).hasSizeGreaterThan(10);
        try (Connection db = DriverManager.getConnection(PackagedApp.jdbcUrl(), PackagedApp.dbUser(),
                PackagedApp.dbPassword()); Statement statement = db.createStatement()) {
            for (String table : List.of("identities", "login_codes", "sessions", "mail_outbox")) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            assertNoSecretIn(table + "." + meta.getColumnName(c), meta.getColumnTypeName(c),
                                    rows.getBytes(c));
                        }
                    }
                }
            }
        }
        for (PackagedApp app : List.of(first, second)) {
            String log = app.logText();
            assertThat(log).contains("audit login.succeeded");
            for (String secret : secretsSeen) {
                assertThat(log).doesNotContain(secret);
            }
        }
    }

    /**
     * Uuids, timestamps and numbers cannot hold a secret, so only text and bytea columns are searched. A 6-digit
     * code is not searched in {@code sessions.methods}: that server-written JSON is mostly timestamps, whose
     * digits would match some code by chance across a shared test database.
     */
    private void assertNoSecretIn(String column, String type, byte[] value) {
        if (value == null || !(type.equals("bytea") || type.equals("text"))) {
            return;
        }
        for (String secret : secretsSeen) {
            if (secret.length() == 6 && column.equals("sessions.methods")) {
                continue;
            }
            assertThat(indexOf(value, secret.getBytes(StandardCharsets.UTF_8))).as(column).isNegative();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
