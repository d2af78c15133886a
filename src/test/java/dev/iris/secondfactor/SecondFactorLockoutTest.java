package dev.iris.secondfactor;

import dev.iris.method.totp.Totp;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.support.ApiException;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16, item 9: failed TOTP codes of one identity escalate. Each window of {@code second-factor-attempts}
 * (5) consecutive failures locks TOTP for twice as long as the one before (5 min, 10 min, 20 min … up to 24 h),
 * the user is emailed once per lockout, and after 100 consecutive failures TOTP stays locked until a backup-code
 * sign-in or an admin reset. The test clock replaces waiting.
 */
@QuarkusTest
class SecondFactorLockoutTest {

    static final String ALERT_SUBJECT = "Failed second-factor sign-in attempts";
    private static final String LOGIN_SUBJECT = "Your sign-in link";

    @Inject
    TestClock clock;

    @Inject
    SecondFactorLockout lockout;

    private final Api api = Api.local();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void eachExhaustedWindowDoublesTheNextLockoutAndTheUserIsEmailedOncePerLockout() {
        Account account = enrolled();
        String session = linkLogin(account.email);

        failWindow(account, session);
        totp(session, wrongCode(account.secret)).then().statusCode(429)
                .body("error.id", equalTo("self_service_flow_rate_limited"));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        failWindow(account, session);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1)); // the first lockout's length: not enough any more
        Response locked = totp(session, codeNow(account.secret));
        locked.then().statusCode(429).body("error.id", equalTo("self_service_flow_rate_limited"))
                .body("error.code", equalTo(429));
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(240, 300);

        clock.advance(Duration.ofMinutes(5));
        totp(session, wrongCode(account.secret)).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4000008));

        List<MimeMessage> alerts = alerts(account.email, 2);
        assertThat(alerts).hasSize(2);
        for (MimeMessage alert : alerts) {
            String text = text(alert);
            assertThat(text).doesNotContain(account.secret).doesNotContain(codeNow(account.secret));
            assertThat(text).contains("minutes");
        }
    }

    @Test
    void aHundredConsecutiveFailuresLockTotpUntilABackupCodeSignIn() {
        Account account = enrolled();
        String session = linkLogin(account.email);
        Instant sessionSince = clock.instant();
        int failures = 0;
        for (int window = 1; failures < 100; window++) {
            if (Duration.between(sessionSince, clock.instant()).toHours() >= 12) {
                session = linkLogin(account.email);
                sessionSince = clock.instant();
            }
            failWindow(account, session);
            failures += 5;
            long minutes = Math.min(5L << (window - 1), 24 * 60);
            clock.advance(Duration.ofMinutes(minutes).plusSeconds(1));
        }
        clock.advance(Duration.ofDays(2));
        String fresh = linkLogin(account.email);
        Response refused = totp(fresh, codeNow(account.secret));
        refused.then().statusCode(429).body("error.id", equalTo("self_service_flow_rate_limited"));
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(text(alerts(account.email, 20).get(19))).contains("backup code");

        secondFactor(fresh, Map.of("method", "lookup_secret", "lookup_secret", account.backupCodes.get(0)))
                .then().statusCode(200).body("session.authenticator_assurance_level", equalTo("aal2"));
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String next = linkLogin(account.email);
        totp(next, codeNow(account.secret)).then().statusCode(200)
                .body("session.authenticator_assurance_level", equalTo("aal2"));
    }

    @Test
    void anAdminResetLiftsTheLockAtOnce() {
        Account account = enrolled();
        String session = linkLogin(account.email);
        failWindow(account, session);
        totp(linkLogin(account.email), codeNow(account.secret)).then().statusCode(429);

        api.admin().delete("/admin/identities/" + account.id + "/second-factor-lockout").then().statusCode(204);
        api.request().delete("/admin/identities/" + account.id + "/second-factor-lockout").then().statusCode(401);
        api.admin().delete("/admin/identities/" + UUID.randomUUID() + "/second-factor-lockout")
                .then().statusCode(404);

        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS)); // not the step the enrolment used
        totp(linkLogin(account.email), codeNow(account.secret)).then().statusCode(200)
                .body("session.authenticator_assurance_level", equalTo("aal2"));
    }

    @Test
    void concurrentFailuresAreCountedBeforeComparingSoNoneSlipsPastALockoutOrTheCap() throws Exception {
        UUID identity = UUID.randomUUID(); // the counter alone: no HTTP, no per-window limit in front of it
        List<Object> first = Race.run(16, () -> takeOrStatus(identity));
        assertThat(first).filteredOn(SecondFactorLockout.Slot.class::isInstance).hasSize(5);
        assertThat(first).filteredOn(Integer.valueOf(429)::equals).hasSize(11);
        assertThat(first).filteredOn(SecondFactorLockout.Slot.class::isInstance)
                .filteredOn(slot -> ((SecondFactorLockout.Slot) slot).escalates()).hasSize(1);

        for (int window = 1; window < 19; window++) { // 95 failures in all, each window waited out
            clock.advance(Duration.ofHours(25));
            for (int i = 0; i < 5; i++) {
                assertThat(takeOrStatus(identity)).isInstanceOf(SecondFactorLockout.Slot.class);
            }
        }
        clock.advance(Duration.ofHours(25));
        List<Object> last = Race.run(16, () -> takeOrStatus(identity));
        assertThat(last).filteredOn(SecondFactorLockout.Slot.class::isInstance).hasSize(5);
        assertThat(last).filteredOn(slot -> slot instanceof SecondFactorLockout.Slot taken
                && taken.locksUntilReset()).hasSize(1);
        clock.advance(Duration.ofDays(20));
        assertThat(takeOrStatus(identity)).isEqualTo(429);

        lockout.clear(identity).await().indefinitely();
        assertThat(takeOrStatus(identity)).isInstanceOf(SecondFactorLockout.Slot.class);
    }

    private Object takeOrStatus(UUID identity) {
        try {
            return lockout.take(identity).await().indefinitely();
        } catch (ApiException refused) {
            return refused.status();
        }
    }

    private record Account(String id, String email, String secret, List<String> backupCodes) {
    }

    /** An identity with an authenticator and a confirmed set of backup codes. */
    private Account enrolled() {
        String email = Api.uniqueEmail();
        String id = api.createIdentity(email);
        String token = api.signIn(email);
        var flow = api.request().header("X-Session-Token", token).get("/self-service/settings/api")
                .then().statusCode(200).extract().jsonPath();
        String secret = flow.getString("ui.nodes.find { it.attributes.id == 'totp_secret_key' }.attributes.text.text");
        settings(token, flow.getString("id"), Map.of("method", "totp", "totp_code", codeNow(secret)))
                .then().statusCode(200);
        List<String> codes = settings(token, flow.getString("id"),
                Map.of("method", "lookup_secret", "lookup_secret_regenerate", true))
                .then().statusCode(200).extract()
                .path("ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets.context.secret");
        settings(token, flow.getString("id"), Map.of("method", "lookup_secret", "lookup_secret_confirm", true))
                .then().statusCode(200);
        return new Account(id, email, secret, codes);
    }

    /** Five wrong TOTP codes, each answered 400 + 4000008 (a fresh aal2 flow and client IP each). */
    private void failWindow(Account account, String session) {
        for (int i = 0; i < 5; i++) {
            totp(session, wrongCode(account.secret)).then().statusCode(400)
                    .body("ui.messages[0].id", equalTo(4000008));
        }
    }

    private Response totp(String session, String code) {
        return secondFactor(session, Map.of("method", "totp", "totp_code", code));
    }

    private Response secondFactor(String session, Map<String, ?> body) {
        String flow = api.request().header("X-Session-Token", session).queryParam("aal", "aal2")
                .get("/self-service/login/api").then().statusCode(200).extract().path("id");
        return api.as(Api.randomIp()).request().contentType(ContentType.JSON).header("X-Session-Token", session)
                .queryParam("flow", flow).body(body).post("/self-service/login");
    }

    private Response settings(String token, String flow, Map<String, ?> body) {
        return api.request().contentType(ContentType.JSON).header("X-Session-Token", token).queryParam("flow", flow)
                .body(body).post("/self-service/settings");
    }

    /** Signs in by the newest emailed link (from its own client IP); returns the AAL1 session token. */
    private String linkLogin(String email) {
        int before = withSubject(email, LOGIN_SUBJECT).size();
        Api client = Api.local();
        String flow = client.newLoginFlow();
        client.send(flow, email).then().statusCode(400);
        Poll.until(() -> withSubject(email, LOGIN_SUBJECT).size() > before, Duration.ofSeconds(20), "login mail");
        LoginMail mail = LoginMail.parse(withSubject(email, LOGIN_SUBJECT).get(before));
        return client.redeemLink(flow, mail.linkToken()).then().statusCode(200).extract().path("session_token");
    }

    private static List<MimeMessage> alerts(String email, int count) {
        Poll.until(() -> withSubject(email, ALERT_SUBJECT).size() >= count, Duration.ofSeconds(20),
                count + " alert(s)");
        Smtp.sleep(300); // no extra alert follows
        return withSubject(email, ALERT_SUBJECT);
    }

    private static List<MimeMessage> withSubject(String email, String subject) {
        return Smtp.messagesTo(email).stream().filter(m -> {
            try {
                return subject.equals(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String text(MimeMessage message) {
        try {
            Object content = message.getContent();
            if (content instanceof String plain) {
                return plain;
            }
            jakarta.mail.Multipart parts = (jakarta.mail.Multipart) content;
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < parts.getCount(); i++) {
                all.append(parts.getBodyPart(i).getContent()).append('\n');
            }
            return all.toString();
        } catch (Exception e) {
            throw new AssertionError("unreadable mail", e);
        }
    }

    private String codeNow(String secret) {
        return Totp.code(Totp.fromBase32(secret), Totp.step(clock.instant()));
    }

    private String wrongCode(String secret) {
        byte[] key = Totp.fromBase32(secret);
        long step = Totp.step(clock.instant());
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            if (!code.equals(Totp.code(key, step)) && !code.equals(Totp.code(key, step - 1))
                    && !code.equals(Totp.code(key, step + 1))) {
                return code;
            }
        }
    }
}
