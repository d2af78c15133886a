package dev.iris.secondfactor;

import dev.iris.method.lookupsecret.BackupCodes;
import dev.iris.method.totp.Totp;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.QrDecoder;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** TOTP and backup codes end to end over the api flows: enrolment, AAL2 at login, replay, single use, refresh. */
@QuarkusTest
class SecondFactorTest {

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    BackupCodes lookup;

    private final Api api = Api.local();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrolTotpThenLinkLoginNeedsItAndACodeWorksOnce() throws Exception {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);

        JsonPath flow = settingsFlow(token);
        String secret = secretKey(flow);
        String qr = flow.getString("ui.nodes.find { it.attributes.id == 'totp_qr' }.attributes.src");
        String uri = QrDecoder.decodeSvgDataUri(qr);
        assertThat(uri).startsWith("otpauth://totp/").contains("secret=" + secret).contains("issuer=");
        assertThat(flow.getInt("ui.nodes.find { it.attributes.id == 'totp_qr' }.meta.label.id")).isEqualTo(1050005);
        assertThat(flow.getInt("ui.nodes.find { it.attributes.id == 'totp_secret_key' }.attributes.text.id"))
                .isEqualTo(1050006);
        assertThat(flow.getString("identity.traits.email")).isEqualTo(email);

        settings(token, flow.getString("id"), Map.of("method", "totp", "totp_code", wrongCode(secret)))
                .then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'totp_code' }.messages[0].id", equalTo(4000008));
        settings(token, flow.getString("id"), Map.of("method", "totp", "totp_code", codeNow(secret)))
                .then().statusCode(200).body("state", equalTo("success"))
                .body("ui.messages[0].id", equalTo(1050001))
                .body("ui.nodes.find { it.attributes.name == 'totp_unlink' }.meta.label.id", equalTo(1050004));
        api.whoami(token).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal2"))
                .body("authentication_methods.method", equalTo(List.of("code", "totp")));
        assertNoPlaintextSecret(identityId, secret);

        api.logout(token).then().statusCode(204);
        String aal1 = linkLogin(email);
        api.whoami(aal1).then().statusCode(403).body("error.id", equalTo("session_aal2_required"))
                .body("redirect_browser_to", org.hamcrest.Matchers.endsWith("/self-service/login/browser?aal=aal2"));

        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS)); // the enrolment step is spent
        String code = codeNow(secret);
        JsonPath prompt = aal2FlowJson(aal1);
        assertThat(prompt.getList("ui.nodes.attributes.name", String.class))
                .as("an authenticator app only: no backup-code field").contains("totp_code")
                .doesNotContain("lookup_secret");
        String aal2Flow = prompt.getString("id");
        Response upgraded = secondFactor(aal1, aal2Flow, Map.of("method", "totp", "totp_code", code));
        upgraded.then().statusCode(200).body("session_token", org.hamcrest.Matchers.not(equalTo(aal1)))
                .body("session.authenticator_assurance_level", equalTo("aal2"))
                .body("session.identity.traits.email", equalTo(email));
        api.whoami(upgraded.path("session_token")).then().statusCode(200)
                .body("authenticator_assurance_level", equalTo("aal2"))
                .body("authentication_methods.method", equalTo(List.of("code", "totp")));

        String other = linkLogin(email);
        secondFactor(other, aal2Flow(other), Map.of("method", "totp", "totp_code", code))
                .then().statusCode(400).body("ui.messages[0].id", equalTo(4000008));
        api.whoami(other).then().statusCode(403);
    }

    @Test
    void backupCodesWorkOnceAndANewSetReplacesTheOld() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = settingsFlow(token).getString("id");

        List<String> first = regenerateAndConfirm(token, flow);
        assertThat(first).hasSize(12).doesNotHaveDuplicates();
        api.whoami(token).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal2"));

        String aal1 = linkLogin(email);
        JsonPath prompt = aal2FlowJson(aal1);
        assertThat(prompt.getList("ui.nodes.attributes.name", String.class))
                .as("backup codes only: no authenticator-app field").contains("lookup_secret")
                .doesNotContain("totp_code", "webauthn_login");
        String second = secondFactor(aal1, prompt.getString("id"), Map.of("method", "lookup_secret", "lookup_secret",
                first.get(0))).then().statusCode(200).body("session.authentication_methods.method",
                equalTo(List.of("code", "lookup_secret"))).extract().path("session_token");
        String third = linkLogin(email);
        String thirdFlow = aal2Flow(third);
        secondFactor(third, thirdFlow, Map.of("method", "lookup_secret", "lookup_secret", first.get(0)))
                .then().statusCode(400).body("ui.messages[0].id", equalTo(4000016));

        List<String> renewed = regenerateAndConfirm(second, settingsFlow(second).getString("id"));
        assertThat(renewed).doesNotContainAnyElementsOf(first);
        secondFactor(third, thirdFlow, Map.of("method", "lookup_secret", "lookup_secret", first.get(1)))
                .then().statusCode(400).body("ui.messages[0].id", equalTo(4000016));
        secondFactor(third, thirdFlow, Map.of("method", "lookup_secret", "lookup_secret", renewed.get(0)))
                .then().statusCode(200);
    }

    @Test
    void usingTheLastBackupCodeLetsTheIdentitysOtherAal1SessionsInAtOnce() throws Throwable {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        List<String> codes = regenerateAndConfirm(token, settingsFlow(token).getString("id"));
        String waiting = linkLogin(email);
        api.whoami(waiting).then().statusCode(403).body("error.id", equalTo("session_aal2_required")); // now cached
        for (String used : codes.subList(1, codes.size())) { // spent earlier (the HTTP budgets allow 5 per 5 min)
            assertThat(VertxContextSupport.subscribeAndAwait(() -> lookup.redeem(UUID.fromString(identityId), used)))
                    .isTrue();
        }

        String last = linkLogin(email);
        secondFactor(last, aal2Flow(last), Map.of("method", "lookup_secret", "lookup_secret", codes.get(0)))
                .then().statusCode(200);

        // No second factor is left: AAL1 is the highest the identity has, on every instance, cached or not.
        api.whoami(waiting).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal1"));
    }

    /**
     * Unlinking the only second factor makes the identity AAL1 again: the next code login is a full session (the
     * reference UI run found the identity stuck at "second factor required" with nothing left to use).
     */
    @Test
    void unlinkingTheOnlyAuthenticatorLetsTheNextLoginIn() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        JsonPath flow = settingsFlow(token);
        settings(token, flow.getString("id"), Map.of("method", "totp", "totp_code", codeNow(secretKey(flow))))
                .then().statusCode(200).body("state", equalTo("success"));
        settings(token, flow.getString("id"), Map.of("totp_unlink", "true")).then().statusCode(200)
                .body("state", equalTo("success"));

        api.whoami(linkLogin(email)).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal1"));
    }

    /** A double-clicked enrolment: one links the authenticator, the others are refused like a used code, no 5xx. */
    @Test
    void concurrentEnrolmentsLinkOneAuthenticator() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        JsonPath flow = settingsFlow(token);
        String secret = secretKey(flow);
        String code = codeNow(secret);

        List<Integer> statuses = Race.run(8, () -> settings(token, flow.getString("id"),
                Map.of("method", "totp", "totp_code", code)).statusCode());
        assertThat(statuses).containsOnlyOnce(200).allSatisfy(status -> assertThat(status).isIn(200, 400));
    }

    /** A double-clicked "confirm": the set is stored once, so each code still works exactly once. */
    @Test
    void concurrentConfirmsOfOneSetStoreItOnce() throws Throwable {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        String flow = settingsFlow(token).getString("id");
        List<String> codes = regenerate(token, flow);

        List<Integer> statuses = Race.run(8, () -> settings(token, flow,
                Map.of("method", "lookup_secret", "lookup_secret_confirm", true)).statusCode());
        assertThat(statuses).contains(200).allSatisfy(status -> assertThat(status).isIn(200, 400));
        long rows = pool.preparedQuery("SELECT count(*) FROM lookup_secrets WHERE identity_id = $1")
                .execute(Tuple.of(UUID.fromString(identityId))).await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(codes.size());
        UUID id = UUID.fromString(identityId);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> lookup.redeem(id, codes.get(0)))).isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> lookup.redeem(id, codes.get(0)))).isFalse();
    }

    @Test
    void anExpiredSettingsFlowIs410WithAFreshFlowToUse() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = settingsFlow(token).getString("id");

        clock.advance(Duration.ofMinutes(61));
        Response expired = api.request().header("X-Session-Token", token).queryParam("id", flow)
                .get("/self-service/settings/flows");
        expired.then().statusCode(410).body("error.id", equalTo("self_service_flow_expired"))
                .body("expired_at", notNullValue()).body("use_flow_id", notNullValue());
        String fresh = expired.path("use_flow_id");
        assertThat(fresh).isNotEqualTo(flow);
        api.request().header("X-Session-Token", token).queryParam("id", fresh).get("/self-service/settings/flows")
                .then().statusCode(200).body("id", equalTo(fresh)).body("state", equalTo("show_form"))
                .body("identity.traits.email", equalTo(email))
                .body("ui.nodes.attributes.name", hasItem("totp_code"))
                .body("ui.messages[0].id", equalTo(4050001)); // Kratos's "settings flow expired", on the new flow
    }

    @Test
    void aCodeLoginOfAnIdentityWithASecondFactorLeavesTheIdentityOut() {
        String email = Api.uniqueEmail();
        withBackupCodes(email);

        int before = Smtp.messagesTo(email).size();
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, before + 1, Duration.ofSeconds(20)).get(before));
        api.redeemCode(flow, email, mail.code()).then().statusCode(200)
                .body("session_token", org.hamcrest.Matchers.startsWith("ory_st_"))
                .body("session.authenticator_assurance_level", equalTo("aal1"))
                .body("session.identity", nullValue());
    }

    @Test
    void settingsNeedARecentSignInAndTheSessionsOwnFlow() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = settingsFlow(token).getString("id");
        api.request().get("/self-service/settings/api").then().statusCode(401)
                .body("error.id", equalTo("session_inactive"));

        clock.advance(Duration.ofMinutes(16));
        api.request().header("X-Session-Token", token).get("/self-service/settings/api").then().statusCode(403)
                .body("error.id", equalTo("session_refresh_required"));
        settings(token, flow, Map.of("method", "lookup_secret", "lookup_secret_regenerate", true))
                .then().statusCode(403).body("error.id", equalTo("session_refresh_required"));

        clock.reset();
        String stranger = Api.uniqueEmail();
        api.createIdentity(stranger);
        String strangerToken = api.signIn(stranger);
        api.request().header("X-Session-Token", strangerToken).queryParam("id", flow)
                .get("/self-service/settings/flows").then().statusCode(404);
    }

    @Test
    void sixteenConcurrentUsesOfOneTotpCodeUpgradeExactlyOneSessionAndTheBudgetHolds() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String secret = linkAuthenticator(api.signIn(email));

        List<String> sessions = List.of(linkLogin(email), linkLogin(email));
        List<String> flows = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String session = sessions.get(i % 2);
            flows.add(session + " " + aal2Flow(session));
        }
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String code = codeNow(secret);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<String> answers = Race.run(16, () -> {
            String[] pair = flows.get(next.getAndIncrement()).split(" ");
            int status = api.as(Api.randomIp()).request().contentType(ContentType.JSON)
                    .header("X-Session-Token", pair[0]).queryParam("flow", pair[1])
                    .body(Map.of("method", "totp", "totp_code", code)).post("/self-service/login").statusCode();
            return sessions.indexOf(pair[0]) + ":" + status;
        });
        List<Integer> statuses = answers.stream().map(a -> Integer.parseInt(a.substring(2))).toList();
        // 5 attempts per identity per 5 minutes get through (atomically counted), the other 11 get 429;
        // of the 5 that race for the one code, exactly one wins. The winner's session has a new token from then
        // on, so requests still carrying its AAL1 token may be refused as such (401) before the budget.
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(4);
        assertThat(statuses.stream().filter(s -> s == 429 || s == 401).count()).isEqualTo(11);
        String winner = answers.stream().filter(a -> a.endsWith(":200")).findFirst().orElseThrow().substring(0, 1);
        assertThat(answers).filteredOn(a -> a.endsWith(":401")).allMatch(a -> a.startsWith(winner));
    }

    @Test
    void spaLoginWithASecondFactorIs422ThenTheBrowserCompletesAal2WithItsCsrfPair() {
        String email = Api.uniqueEmail();
        List<String> backup = withBackupCodes(email);

        Response created = api.request().accept(ContentType.JSON).get("/self-service/login/browser");
        String csrfCookie = created.cookie("iris_csrf");
        String csrfToken = created.path("ui.nodes[0].attributes.value");
        String flow = created.path("id");
        api.request().cookie("iris_csrf", csrfCookie).accept(ContentType.JSON).contentType(ContentType.JSON)
                .queryParam("flow", flow).body(Map.of("method", "code", "identifier", email, "csrf_token", csrfToken))
                .post("/self-service/login").then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(20)).get(1));
        Response login = api.request().cookie("iris_csrf", csrfCookie).accept(ContentType.JSON)
                .contentType(ContentType.JSON).queryParam("flow", flow)
                .body(Map.of("method", "code", "identifier", email, "code", mail.code(), "csrf_token", csrfToken))
                .post("/self-service/login");
        login.then().statusCode(422).body("error.id", equalTo("browser_location_change_required"))
                .body("redirect_browser_to", org.hamcrest.Matchers.containsString("/self-service/login/browser?aal=aal2"));
        String session = login.cookie("iris_session");
        api.request().cookie("iris_session", session).get("/sessions/whoami").then().statusCode(403)
                .body("error.id", equalTo("session_aal2_required"));

        Response aal2 = api.request().cookie("iris_csrf", csrfCookie).cookie("iris_session", session)
                .accept(ContentType.JSON).queryParam("aal", "aal2").get("/self-service/login/browser");
        aal2.then().statusCode(200).body("requested_aal", equalTo("aal2"));
        String aal2Flow = aal2.path("id");
        api.request().cookie("iris_csrf", csrfCookie).cookie("iris_session", session).accept(ContentType.JSON)
                .contentType(ContentType.JSON).queryParam("flow", aal2Flow)
                .body(Map.of("method", "lookup_secret", "lookup_secret", backup.get(0), "csrf_token", "forged"))
                .post("/self-service/login").then().statusCode(403).body("error.id", equalTo("security_csrf_violation"));
        String upgraded = api.request().cookie("iris_csrf", csrfCookie).cookie("iris_session", session)
                .accept(ContentType.JSON).contentType(ContentType.JSON).queryParam("flow", aal2Flow)
                .body(Map.of("method", "lookup_secret", "lookup_secret", backup.get(0), "csrf_token", csrfToken))
                .post("/self-service/login").then().statusCode(200)
                .body("session.authenticator_assurance_level", equalTo("aal2"))
                .body("continue_with[0].action", equalTo("redirect_browser_to")).extract().cookie("iris_session");
        api.request().cookie("iris_session", upgraded).get("/sessions/whoami").then().statusCode(200)
                .body("authentication_methods.method", equalTo(List.of("code", "lookup_secret")));
    }

    /**
     * Issue 16, item 8: completing the second factor issues a new token; whoever holds the AAL1 token (someone
     * with mailbox access) does not gain AAL2 with it. The session (id, devices) stays the same.
     */
    @Test
    void theAal2UpgradeIssuesANewTokenAndTheAal1TokenStopsWorking() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String secret = linkAuthenticator(token);
        List<String> backup = regenerateAndConfirm(token, settingsFlow(token).getString("id"));

        String aal1 = linkLogin(email);
        api.whoami(aal1).then().statusCode(403); // cached as AAL1 on the way
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        Response upgraded = secondFactor(aal1, aal2Flow(aal1), Map.of("method", "totp", "totp_code", codeNow(secret)));
        upgraded.then().statusCode(200).body("session.authenticator_assurance_level", equalTo("aal2"));
        String aal2 = upgraded.path("session_token");
        assertThat(aal2).startsWith("ory_st_").isNotEqualTo(aal1);
        api.whoami(aal1).then().statusCode(401).body("error.id", equalTo("session_inactive"));
        api.request().header("X-Session-Token", aal1).get("/sessions").then().statusCode(401);
        api.whoami(aal2).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal2"))
                .body("id", equalTo(upgraded.path("session.id")));

        String byBackup = linkLogin(email);
        Response second = secondFactor(byBackup, aal2Flow(byBackup),
                Map.of("method", "lookup_secret", "lookup_secret", backup.get(0)));
        second.then().statusCode(200);
        assertThat(second.<String>path("session_token")).isNotEqualTo(byBackup);
        api.whoami(byBackup).then().statusCode(401);
        api.whoami(second.path("session_token")).then().statusCode(200)
                .body("authenticator_assurance_level", equalTo("aal2"));
    }

    /** The same for a browser: the upgrade answer sets a new session cookie, the AAL1 cookie stops working. */
    @Test
    void aBrowsersAal2UpgradeSetsANewSessionCookie() {
        String email = Api.uniqueEmail();
        List<String> backup = withBackupCodes(email);
        String aal1 = linkLogin(email); // the same token a browser would hold in its cookie

        Response created = api.request().accept(ContentType.JSON).cookie("iris_session", aal1)
                .queryParam("aal", "aal2").get("/self-service/login/browser");
        created.then().statusCode(200);
        String csrfCookie = created.cookie("iris_csrf");
        String csrfToken = created.path("ui.nodes.find { it.attributes.name == 'csrf_token' }.attributes.value");
        Response upgraded = api.request().cookie("iris_csrf", csrfCookie).cookie("iris_session", aal1)
                .accept(ContentType.JSON).contentType(ContentType.JSON).queryParam("flow", created.<String>path("id"))
                .body(Map.of("method", "lookup_secret", "lookup_secret", backup.get(0), "csrf_token", csrfToken))
                .post("/self-service/login");
        upgraded.then().statusCode(200).body("session.authenticator_assurance_level", equalTo("aal2"))
                .body("session_token", nullValue());
        String cookie = upgraded.cookie("iris_session");
        assertThat(cookie).isNotNull().isNotEqualTo(aal1);
        api.request().cookie("iris_session", aal1).get("/sessions/whoami").then().statusCode(401);
        api.request().cookie("iris_session", cookie).get("/sessions/whoami").then().statusCode(200)
                .body("authenticator_assurance_level", equalTo("aal2"));
    }

    /** A new identity for {@code email} with backup codes turned on (by a code login's session); returns them. */
    /**
     * A revocation racing the AAL2 step of the same session: whichever commits first, no token of that session may
     * work afterwards. (Before the session row was locked, the upgrade could commit a new token between the
     * revocation's read of the token hash and its update or tombstone, or write revoked_at back to null.)
     */
    @Test
    void aRevocationRacingTheAal2UpgradeLeavesNoWorkingToken() throws Exception {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String secret = linkAuthenticator(api.signIn(email));
        for (int round = 0; round < 30; round++) {
            clock.advance(Duration.ofMinutes(61)); // fresh send, second-factor and TOTP-step budgets
            String aal1 = linkLogin(email);
            String flow = aal2Flow(aal1);
            String code = codeNow(secret);
            int delay = round % 10 * 3;
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
            List<Response> answers = Race.run(2, () -> turn.getAndIncrement() == 0
                    ? secondFactor(aal1, flow, Map.of("method", "totp", "totp_code", code))
                    : revokeAfter(identityId, delay));
            api.whoami(aal1).then().statusCode(401);
            Response upgrade = answers.get(0);
            if (upgrade.statusCode() == 200) {
                api.whoami(upgrade.path("session_token")).then().statusCode(401);
            }
        }
    }

    /** Ends every session of the identity after {@code millis}: the rounds spread the revocation over the upgrade. */
    private Response revokeAfter(String identityId, int millis) throws InterruptedException {
        Thread.sleep(millis);
        return api.admin().delete("/admin/identities/" + identityId + "/sessions");
    }

    private List<String> withBackupCodes(String email) {
        api.createIdentity(email);
        String token = api.signIn(email);
        return regenerateAndConfirm(token, settingsFlow(token).getString("id"));
    }

    /** Links an authenticator to the session's identity in a new settings flow; returns its key. */
    private String linkAuthenticator(String token) {
        JsonPath flow = settingsFlow(token);
        String secret = secretKey(flow);
        settings(token, flow.getString("id"), Map.of("method", "totp", "totp_code", codeNow(secret)))
                .then().statusCode(200);
        return secret;
    }

    /** The authenticator key a settings flow offers (text of {@code totp_secret_key}). */
    private static String secretKey(JsonPath flow) {
        return flow.getString("ui.nodes.find { it.attributes.id == 'totp_secret_key' }.attributes.text.text");
    }

    /** Asks for a new set of backup codes in the flow and returns them (not active until confirmed). */
    private List<String> regenerate(String token, String flow) {
        return settings(token, flow, Map.of("method", "lookup_secret", "lookup_secret_regenerate", true))
                .then().statusCode(200).extract()
                .path("ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets.context.secret");
    }

    private List<String> regenerateAndConfirm(String token, String flow) {
        List<String> codes = regenerate(token, flow);
        settings(token, flow, Map.of("method", "lookup_secret", "lookup_secret_confirm", true))
                .then().statusCode(200).body("state", equalTo("success"))
                .body("ui.nodes.attributes.name", hasItem("lookup_secret_disable"));
        return codes;
    }

    private JsonPath settingsFlow(String token) {
        return api.request().header("X-Session-Token", token).get("/self-service/settings/api")
                .then().statusCode(200).body("state", equalTo("show_form")).extract().jsonPath();
    }

    private Response settings(String token, String flow, Map<String, ?> body) {
        return api.request().contentType(ContentType.JSON).header("X-Session-Token", token).queryParam("flow", flow)
                .body(body).post("/self-service/settings");
    }

    private String aal2Flow(String token) {
        return aal2FlowJson(token).getString("id");
    }

    /** A new aal2 flow: the prompt (1010004) and the nodes of the second factors the identity has, only those. */
    private JsonPath aal2FlowJson(String token) {
        return api.request().header("X-Session-Token", token).queryParam("aal", "aal2")
                .get("/self-service/login/api").then().statusCode(200)
                .body("requested_aal", equalTo("aal2"))
                .body("ui.messages[0].id", equalTo(1010004))
                .body("ui.nodes.attributes.name", hasItem("method"))
                .extract().jsonPath();
    }

    private Response secondFactor(String token, String flow, Map<String, ?> body) {
        return api.request().contentType(ContentType.JSON).header("X-Session-Token", token).queryParam("flow", flow)
                .body(body).post("/self-service/login");
    }

    /** Signs in by the emailed link from a fresh client; returns the (AAL1) session token. */
    private String linkLogin(String email) {
        int before = Smtp.messagesTo(email).size();
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = LoginMail.parse(Smtp.await(email, before + 1, Duration.ofSeconds(20)).get(before));
        return api.redeemLink(flow, mail.linkToken()).then().statusCode(200).extract().path("session_token");
    }

    private String codeNow(String secret) {
        return Totp.code(Totp.fromBase32(secret), Totp.step(clock.instant()));
    }

    private String wrongCode(String secret) {
        String right = codeNow(secret);
        long step = Totp.step(clock.instant());
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            byte[] key = Totp.fromBase32(secret);
            if (!code.equals(right) && !code.equals(Totp.code(key, step - 1)) && !code.equals(Totp.code(key, step + 1))) {
                return code;
            }
        }
    }

    private void assertNoPlaintextSecret(String identityId, String secret) {
        Row row = pool.preparedQuery("SELECT secret_sealed FROM totp_credentials WHERE identity_id = $1")
                .execute(Tuple.of(UUID.fromString(identityId))).await().indefinitely().iterator().next();
        byte[] sealed = row.getBuffer("secret_sealed").getBytes();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        assertThat(indexOf(sealed, Totp.fromBase32(secret))).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
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
