package dev.iris.compat;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Iris driven the way Kratos UIs drive Kratos (Ory's reference UI, {@code kratos-selfservice-ui-node}): forms built
 * from the flow's nodes — every input with its value, plus the one submit button clicked — posted as forms,
 * redirects not followed but checked, cookies kept. Each test is one row of issue 18's table.
 */
@QuarkusTest
class KratosUiCompatTest {

    private final Api api = Api.local();

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A browser flow of {@code kind} (login, registration, recovery, verification) and the browser's CSRF pair. */
    private record Browser(String kind, String flow, String csrfCookie, String csrfToken) {
    }

    private Browser startLogin() {
        return start("login");
    }

    private Browser start(String kind) {
        Response created = api.request().accept(ContentType.JSON).get("/self-service/" + kind + "/browser");
        created.then().statusCode(200);
        return new Browser(kind, created.path("id"), created.cookie("iris_csrf"),
                created.path("ui.nodes[0].attributes.value"));
    }

    /** A browser flow of {@code kind} after its form sent the code to {@code email} (303 back to its page). */
    private Browser sent(String kind, String email) {
        Browser browser = start(kind);
        Map<String, String> send = form(fetch(browser), "method", "code");
        send.put("email", email);
        post(browser, send).then().statusCode(303).header("Location", endsWith("/" + kind + "?flow=" + browser.flow()));
        return browser;
    }

    /**
     * A fresh browser that opened the emailed link: Iris's confirmation page (showing {@code button}) gave it its own
     * CSRF pair, with which it posts the link token.
     */
    private Browser linkOpenedIn(String kind, LoginMail mail, String button) {
        java.net.URI link = java.net.URI.create(mail.link());
        Response page = api.request().get(link.getRawPath() + "?" + link.getRawQuery());
        page.then().statusCode(200).body(org.hamcrest.Matchers.containsString(button));
        return new Browser(kind, mail.flowId(), page.cookie("iris_csrf"),
                page.htmlPath().getString("**.find { it.@name == 'csrf_token' }.@value"));
    }

    private JsonPath fetch(Browser browser) {
        return api.request().cookie("iris_csrf", browser.csrfCookie()).queryParam("id", browser.flow())
                .get("/self-service/" + browser.kind() + "/flows").then().statusCode(200).extract().jsonPath();
    }

    /** The form a UI renders from the nodes, as posted when {@code button} (name=value) is clicked. */
    private static Map<String, String> form(JsonPath flow, String button, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<Map<String, Object>> nodes = flow.getList("ui.nodes");
        for (Map<String, Object> node : nodes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) node.get("attributes");
            if (!"input".equals(attributes.get("node_type")) || "submit".equals(attributes.get("type"))
                    || attributes.get("value") == null) {
                continue;
            }
            fields.putIfAbsent((String) attributes.get("name"), String.valueOf(attributes.get("value")));
        }
        fields.put(button, value);
        return fields;
    }

    private Response post(Browser browser, Map<String, String> fields) {
        return api.request().redirects().follow(false).cookie("iris_csrf", browser.csrfCookie())
                .contentType(ContentType.URLENC).queryParam("flow", browser.flow()).formParams(fields)
                .post("/self-service/" + browser.kind());
    }

    /** "Resend code": the code-sent form carries a hidden method=code, so the resend button's post is complete. */
    @Test
    void resendFromTheCodeSentFormSendsAnotherEmail() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Browser browser = startLogin();
        Map<String, String> first = form(fetch(browser), "method", "code");
        first.put("identifier", email);
        post(browser, first).then().statusCode(303).header("Location", endsWith("/login?flow=" + browser.flow()));
        Smtp.awaitLogin(email);

        clock.advance(Duration.ofSeconds(61));
        JsonPath sent = fetch(browser);
        assertThat(sent.getString("state")).isEqualTo("sent_email");
        Map<String, String> resend = form(sent, "resend", "code");
        assertThat(resend).containsEntry("method", "code").containsEntry("identifier", email);
        post(browser, resend).then().statusCode(303).header("Location", endsWith("/login?flow=" + browser.flow()));
        assertThat(fetch(browser).getList("ui.messages.id")).doesNotContain(4000002);
        Smtp.await(email, 2, Duration.ofSeconds(20));
    }

    /** Labels carry the ids Kratos's code strategy uses for the same meaning (text/id.go). */
    @Test
    void codeSentNodesUseKratosLabelIds() {
        Browser browser = startLogin();
        JsonPath choose = fetch(browser);
        assertThat(label(choose, "identifier")).isEqualTo(1070007);
        Map<String, String> send = form(choose, "method", "code");
        send.put("identifier", Api.uniqueEmail());
        post(browser, send).then().statusCode(303);
        JsonPath sent = fetch(browser);
        assertThat(label(sent, "code")).isEqualTo(1070013);
        assertThat(sent.getList("ui.nodes.findAll { it.attributes.name == 'method' }.attributes.type"))
                .containsExactly("hidden", "submit");
        assertThat(sent.getList("ui.nodes.findAll { it.attributes.name == 'method' }.meta.label.id"))
                .containsExactly(1070009); // the hidden one has no label
        assertThat(label(sent, "resend")).isEqualTo(1070008);
        assertThat(sent.getString("ui.nodes.find { it.attributes.name == 'identifier' }.group")).isEqualTo("default");

        String registration = api.newRegistrationFlow();
        api.signUp(registration, Api.uniqueEmail()).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'code' }.meta.label.id", equalTo(1070012));
    }

    private static Object label(JsonPath flow, String name) {
        return flow.get("ui.nodes.find { it.attributes.name == '" + name + "' }.meta.label.id");
    }

    /** Settings buttons post only their flag (no method): the flag implies the method; codes are messages. */
    @Test
    void settingsFlagsImplyTheirMethodAndBackupCodesAreMessages() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = api.newSettingsFlow(token);

        Response shown = settings(token, flow, Map.of("lookup_secret_regenerate", "true"));
        shown.then().statusCode(200)
                .body("ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets",
                        hasSize(12))
                .body("ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets.id",
                        everyItem(equalTo(1050009)))
                .body("ui.nodes.find { it.attributes.id == 'lookup_secret_codes' }.attributes.text.context.secrets"
                        + "[0].context.secret", notNullValue());
        settings(token, flow, Map.of("lookup_secret_confirm", "true")).then().statusCode(200)
                .body("state", equalTo("success")).body("ui.messages[0].id", equalTo(1050001));
        settings(token, flow, Map.of("lookup_secret_disable", "true")).then().statusCode(200)
                .body("state", equalTo("success"));
        settings(token, flow, Map.of("totp_unlink", "true")).then().statusCode(200)
                .body("state", equalTo("success"));
    }

    /** An identity for {@code email} with backup codes turned on: its next code login is AAL1 with AAL2 pending. */
    private void withBackupCodes(String email) {
        api.createIdentity(email);
        String token = api.signIn(email);
        String flow = api.newSettingsFlow(token);
        settings(token, flow, Map.of("lookup_secret_regenerate", "true")).then().statusCode(200);
        settings(token, flow, Map.of("lookup_secret_confirm", "true")).then().statusCode(200);
    }

    private Response settings(String token, String flow, Map<String, String> form) {
        return api.request().header("X-Session-Token", token).accept(ContentType.JSON)
                .contentType(ContentType.URLENC).queryParam("flow", flow).formParams(form)
                .post("/self-service/settings");
    }

    /** A signed-in browser that opens /login is sent where a sign-in would have sent it; an SPA gets the 400. */
    @Test
    void signedInBrowsersAreSentOnInsteadOfAJsonError() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        for (String kind : List.of("login", "registration")) {
            api.request().redirects().follow(false).cookie("iris_session", token)
                    .get("/self-service/" + kind + "/browser").then().statusCode(303)
                    .header("Location", endsWith("/welcome"));
            api.request().cookie("iris_session", token).accept(ContentType.JSON)
                    .get("/self-service/" + kind + "/browser").then().statusCode(400)
                    .body("error.id", equalTo("session_already_available"));
        }
    }

    /** The second-factor page's logout link works with the AAL1 session it has. */
    @Test
    void logoutWorksAtAal1() {
        String email = Api.uniqueEmail();
        withBackupCodes(email);

        String aal1 = api.signIn(email);
        api.whoami(aal1).then().statusCode(403).body("error.id", equalTo("session_aal2_required"));
        Response logout = api.request().cookie("iris_session", aal1).get("/self-service/logout/browser");
        logout.then().statusCode(200).body("logout_token", notNullValue());
        api.request().redirects().follow(false).cookie("iris_session", aal1)
                .queryParam("token", logout.<String>path("logout_token")).get("/self-service/logout")
                .then().statusCode(303);
        api.whoami(aal1).then().statusCode(401);
    }

    /**
     * A step-up the reference UI starts ({@code return_to=/sessions}): a relative return_to resolves against the
     * default return URL; Iris's own self-service URLs are always allowed; foreign ones still are not.
     */
    @Test
    void relativeAndSelfServiceReturnUrlsAreAllowed() {
        api.request().accept(ContentType.JSON).queryParam("return_to", "/sessions")
                .get("/self-service/login/browser").then().statusCode(200)
                .body("return_to", endsWith("/sessions")).body("return_to", org.hamcrest.Matchers.startsWith("http"));
        api.request().queryParam("return_to", "http://localhost:8080/self-service/settings/browser")
                .get("/self-service/login/api").then().statusCode(200);
        for (String bad : List.of("//evil.example/x", "/../../evil", "https://evil.example/self-service/x")) {
            api.request().queryParam("return_to", bad).get("/self-service/login/api").then().statusCode(400)
                    .body("error.id", equalTo("self_service_flow_return_to_forbidden"));
        }
    }

    /** A form post to an expired flow lands on the fresh flow, which says why (4010001), never on raw JSON. */
    @Test
    void anExpiredFlowsFormPostGoesToItsReplacement() {
        Browser browser = startLogin();
        Map<String, String> send = form(fetch(browser), "method", "code");
        send.put("identifier", Api.uniqueEmail());
        clock.advance(Duration.ofMinutes(61));
        String location = post(browser, send).then().statusCode(303).extract().header("Location");
        assertThat(location).contains("/login?flow=").doesNotContain(browser.flow());
        String fresh = location.substring(location.indexOf("flow=") + 5);
        api.request().cookie("iris_csrf", browser.csrfCookie()).queryParam("id", fresh)
                .get("/self-service/login/flows").then().statusCode(200)
                .body("ui.messages[0].id", equalTo(4010001)).body("ui.messages[0].type", equalTo("error"));
    }

    /** An unknown flow's form post ends on the error page; the error is served as Kratos serves it. */
    @Test
    void anUnknownFlowsFormPostEndsOnTheErrorPage() {
        Browser browser = startLogin();
        Browser unknown = new Browser("login", java.util.UUID.randomUUID().toString(), browser.csrfCookie(),
                browser.csrfToken());
        String location = post(unknown, Map.of("method", "code", "identifier", Api.uniqueEmail(),
                "csrf_token", browser.csrfToken())).then().statusCode(303).extract().header("Location");
        assertThat(location).contains("/error?id=");
        String id = location.substring(location.indexOf("id=") + 3);
        api.request().queryParam("id", id).get("/self-service/errors").then().statusCode(200)
                .body("id", equalTo(id)).body("error.id", equalTo("not_found")).body("error.code", equalTo(404));
        api.request().get("/error?id=" + id).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-error-id=\"not_found\""));
        api.request().queryParam("id", java.util.UUID.randomUUID().toString()).get("/self-service/errors")
                .then().statusCode(404);
    }

    /** Kratos's public meta endpoints, probed by Kratos tooling, charts and proxies. */
    @Test
    void kratosMetaEndpointsAnswer() {
        api.request().get("/health/alive").then().statusCode(200).body("status", equalTo("ok"));
        api.request().get("/health/ready").then().statusCode(200).body("status", equalTo("ok"));
        api.request().get("/version").then().statusCode(200).body("version", notNullValue());
        api.request().get("/schemas").then().statusCode(200).body("[0].id", equalTo("default"))
                .body("[0].schema.properties.traits.properties.email.'ory.sh/kratos'.credentials.code.identifier",
                        equalTo(true));
        api.request().get("/schemas/default").then().statusCode(200)
                .body("properties.traits.required", equalTo(List.of("email")));
        api.request().get("/schemas/other").then().statusCode(404).body("error.id", equalTo("not_found"));
    }

    /**
     * "Recover account" through a UI: the address, the code from the email (the form's hidden method=code and the code
     * field), then the browser holds a session and lands on a settings flow that says the account was recovered.
     */
    @Test
    void recoveryThroughTheUiSignsInAndOpensSettings() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Browser browser = sent("recovery", email);
        LoginMail mail = Smtp.awaitLogin(email);

        JsonPath sent = fetch(browser);
        assertThat(sent.getString("state")).isEqualTo("sent_email");
        assertThat(sent.getList("ui.messages.id")).containsExactly(1060003);
        Map<String, String> redeem = form(sent, "method", "code");
        assertThat(redeem).doesNotContainKey("email"); // the resend button was not clicked
        redeem.put("code", mail.code());
        Response recovered = post(browser, redeem);
        recovered.then().statusCode(303).header("Location", org.hamcrest.Matchers.containsString("/settings?flow="));
        String session = recovered.cookie("iris_session");
        assertThat(session).isNotNull();
        String location = recovered.header("Location");
        api.request().cookie("iris_session", session).cookie("iris_csrf", browser.csrfCookie())
                .queryParam("id", location.substring(location.indexOf("flow=") + 5))
                .get("/self-service/settings/flows").then().statusCode(200)
                .body("ui.messages[0].id", equalTo(1060001));
        api.request().cookie("iris_session", session).get("/sessions/whoami").then().statusCode(200)
                .body("authentication_methods[0].method", equalTo("code_recovery"));
    }

    /** Recovery's "Resend code" is a submit button named email carrying the address, with the hidden method=code. */
    @Test
    void recoveryResendIsTheEmailButton() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Browser browser = sent("recovery", email);
        Smtp.awaitLogin(email);
        clock.advance(Duration.ofSeconds(61));
        JsonPath sent = fetch(browser);
        Map<String, String> resend = form(sent, "email",
                sent.getString("ui.nodes.find { it.attributes.name == 'email' }.attributes.value"));
        assertThat(resend).containsEntry("method", "code").containsEntry("email", email);
        post(browser, resend).then().statusCode(303).header("Location", endsWith("/recovery?flow=" + browser.flow()));
        Smtp.await(email, 2, Duration.ofSeconds(20));
    }

    /** The emailed recovery link in a fresh browser: Iris's confirmation page, one POST, then settings. */
    @Test
    void recoveryLinkInAFreshBrowserEndsOnSettings() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        sent("recovery", email);
        LoginMail mail = Smtp.awaitLogin(email);

        Browser fresh = linkOpenedIn("recovery", mail, "Recover my account");
        Response recovered = post(fresh, Map.of("csrf_token", fresh.csrfToken(), "method", "code", "code",
                mail.linkToken()));
        recovered.then().statusCode(303).header("Location", org.hamcrest.Matchers.containsString("/settings?flow="));
        assertThat(recovered.cookie("iris_session")).isNotNull();
    }

    /** "Verify email" through a UI: the flow passes and shows 1080002 with a Continue link; nobody is signed in. */
    @Test
    void verificationThroughTheUiPasses() {
        String email = Api.uniqueEmail();
        String identity = api.createIdentity(email);
        Browser browser = sent("verification", email);
        LoginMail mail = Smtp.awaitLogin(email);
        Map<String, String> redeem = form(fetch(browser), "method", "code");
        redeem.put("code", mail.code());
        Response verified = post(browser, redeem);
        verified.then().statusCode(303).header("Location", endsWith("/verification?flow=" + browser.flow()));
        assertThat(verified.cookie("iris_session")).isNull();
        JsonPath done = fetch(browser);
        assertThat(done.getString("state")).isEqualTo("passed_challenge");
        assertThat(done.getList("ui.messages.id")).containsExactly(1080002);
        assertThat(done.getString("ui.nodes.find { it.attributes.id == 'continue' }.attributes.href"))
                .endsWith("/welcome");
        api.admin().get("/admin/identities/" + identity).then().statusCode(200)
                .body("verifiable_addresses[0].verified", equalTo(true));
        api.request().get("/verification?flow=" + browser.flow()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-testid=\"verified\""));
    }

    /**
     * The emailed verification link opened in another browser: after the confirmation page's POST, that browser's UI
     * reads the flow and shows "verified" (the reference UI run found a 403 and an empty form there).
     */
    @Test
    void verificationLinkInAFreshBrowserShowsTheVerifiedFlow() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        Browser started = sent("verification", email);
        LoginMail mail = Smtp.awaitLogin(email);

        Browser fresh = linkOpenedIn("verification", mail, "Verify my address");
        post(fresh, Map.of("csrf_token", fresh.csrfToken(), "method", "code", "code", mail.linkToken()))
                .then().statusCode(303).header("Location", endsWith("/verification?flow=" + started.flow()));
        JsonPath shown = fetch(fresh);
        assertThat(shown.getString("state")).isEqualTo("passed_challenge");
        assertThat(shown.getList("ui.messages.id")).containsExactly(1080002);
    }

    /** A signed-in browser that opens recovery goes where a sign-in would have sent it; verification starts. */
    @Test
    void signedInBrowsersSkipRecoveryButMayVerify() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        api.request().redirects().follow(false).cookie("iris_session", token).get("/self-service/recovery/browser")
                .then().statusCode(303).header("Location", endsWith("/welcome"));
        api.request().redirects().follow(false).cookie("iris_session", token)
                .get("/self-service/verification/browser").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/verification?flow="));
    }

    /** Recovering the mailbox never skips a second factor: the browser goes through the aal2 login to settings. */
    @Test
    void recoveryOfAnAccountWithASecondFactorAsksForIt() {
        String email = Api.uniqueEmail();
        withBackupCodes(email);

        Browser browser = sent("recovery", email);
        LoginMail mail = Smtp.await(email, 2, Duration.ofSeconds(20)).stream().map(LoginMail::parse)
                .filter(m -> m.link().contains("/recovery?")).findFirst().orElseThrow();
        Map<String, String> redeem = form(fetch(browser), "method", "code");
        redeem.put("code", mail.code());
        Response recovered = post(browser, redeem);
        recovered.then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/self-service/login/browser?aal=aal2"))
                .header("Location", org.hamcrest.Matchers.containsString("settings%3Fflow%3D"));
        api.request().cookie("iris_session", recovered.cookie("iris_session")).get("/sessions/whoami").then()
                .statusCode(403).body("error.id", equalTo("session_aal2_required"));
    }

    /**
     * The profile section as a UI posts it (the profile group's inputs and its Save button): a new address gets a code,
     * the same form with the code confirms it.
     */
    @Test
    void profileSectionChangesTheAddressAfterItsCode() {
        String old = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        api.createIdentity(old);
        String token = api.signIn(old);
        JsonPath shown = api.request().header("X-Session-Token", token).get("/self-service/settings/api").then()
                .statusCode(200).extract().jsonPath();
        String flow = shown.getString("id");
        Map<String, String> change = form(shown, "method", "profile");
        assertThat(change).containsEntry("traits.email", old);
        change.put("traits.email", fresh);
        JsonPath pending = settings(token, flow, change).then().statusCode(200).extract().jsonPath();
        String code = Smtp.await(fresh, 1, Duration.ofSeconds(20)).stream().map(dev.iris.testsupport.LoginMail::textOf)
                .map(text -> text.replaceAll("(?s).*settings:\\s+(\\d{6}).*", "$1")).findFirst().orElseThrow();
        Map<String, String> confirm = form(pending, "method", "profile");
        assertThat(confirm).containsEntry("traits.email", fresh);
        confirm.put("code", code);
        settings(token, flow, confirm).then().statusCode(200).body("state", equalTo("success"));
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(fresh));
    }
}
