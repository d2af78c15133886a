package dev.iris.settings;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.JsonShape;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import dev.iris.testsupport.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The profile section of settings: the email address changes only once a code sent to the new address is entered;
 * the old address keeps signing in until then, and is told afterwards. An address that has an account already is
 * treated exactly like a free one that never receives its code (no enumeration).
 */
@QuarkusTest
class ProfileSettingsTest {

    private static final Pattern CODE = Pattern.compile("in your account settings:\\s+(\\d{6})");

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @org.junit.jupiter.api.AfterEach
    void resetClock() {
        clock.reset();
    }

    private String settingsFlow(String token) {
        return api.request().header("X-Session-Token", token).get("/self-service/settings/api").then()
                .statusCode(200)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.group", equalTo("profile"))
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.meta.label.id", equalTo(1070002))
                .body("ui.nodes.find { it.attributes.value == 'profile' }.meta.label.id", equalTo(1070003))
                .extract().path("id");
    }

    private Response save(String token, String flow, Map<String, String> fields) {
        return api.request().header("X-Session-Token", token).contentType(ContentType.JSON)
                .queryParam("flow", flow).body(fields).post("/self-service/settings");
    }

    @Test
    void theNewAddressCountsOnlyOnceItsCodeIsEntered() throws Exception {
        String old = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        api.createIdentity(old);
        String token = api.signIn(old);
        String flow = settingsFlow(token);

        save(token, flow, Map.of("method", "profile", "traits.email", fresh)).then().statusCode(200)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.attributes.value", equalTo(fresh))
                .body("ui.nodes.find { it.attributes.name == 'code' }.messages[0].id", equalTo(1080003));
        String code = code(Smtp.await(fresh, 1, Duration.ofSeconds(20)).get(0));
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(old));

        save(token, flow, Map.of("method", "profile", "traits.email", fresh, "code", wrong(code))).then()
                .statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'code' }.messages.id",
                        org.hamcrest.Matchers.hasItem(4070006));
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(old));
        api.signIn(old); // the old address still signs in

        save(token, flow, Map.of("method", "profile", "traits.email", fresh, "code", code)).then().statusCode(200)
                .body("state", equalTo("success")).body("ui.messages[0].id", equalTo(1050001))
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.attributes.value", equalTo(fresh))
                .body("ui.nodes.findAll { it.attributes.name == 'code' }.size()", equalTo(0));
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(fresh))
                .body("identity.verifiable_addresses[0].value", equalTo(fresh))
                .body("identity.verifiable_addresses[0].verified", equalTo(true));
        MimeMessage notice = Smtp.messagesTo(old).stream().filter(m -> subject(m).contains("was changed"))
                .findFirst().orElseGet(() -> {
                    Poll.until(() -> Smtp.messagesTo(old).stream().anyMatch(m -> subject(m).contains("was changed")),
                            Duration.ofSeconds(20), "the notice to the old address");
                    return Smtp.messagesTo(old).stream().filter(m -> subject(m).contains("was changed"))
                            .findFirst().orElseThrow();
                });
        assertThat(dev.iris.testsupport.LoginMail.textOf(notice)).doesNotContain(fresh);
        api.signIn(fresh); // the new address signs in now
        save(token, flow, Map.of("method", "profile", "traits.email", fresh, "code", code)).then().statusCode(200)
                .body("state", equalTo("success")); // the same address again: nothing to change
    }

    /** A change to an address that has an account looks like any change; no mail goes there and no code works. */
    @Test
    void anAddressWithAnAccountIsNeitherRevealedNorTaken() {
        String mine = Api.uniqueEmail();
        String taken = Api.uniqueEmail();
        String free = Api.uniqueEmail();
        api.createIdentity(mine);
        String other = api.createIdentity(taken);
        String token = api.signIn(mine);

        Response toTaken = save(token, settingsFlow(token), Map.of("method", "profile", "traits.email", taken));
        Response toFree = save(token, settingsFlow(token), Map.of("method", "profile", "traits.email", free));
        assertThat(toTaken.statusCode()).isEqualTo(toFree.statusCode()).isEqualTo(200);
        Map<String, Object> takenShape = toTaken.jsonPath().getMap("");
        Map<String, Object> freeShape = toFree.jsonPath().getMap("");
        assertThat(JsonShape.of(withoutAddresses(takenShape))).isEqualTo(JsonShape.of(withoutAddresses(freeShape)));

        Smtp.await(free, 1, Duration.ofSeconds(20));
        Poll.until(() -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = $1", toTaken.path("id")) == 0,
                Duration.ofSeconds(10), "the taken address's outbox row to be processed");
        assertThat(Smtp.messagesTo(taken)).isEmpty();
        save(token, toTaken.path("id"), Map.of("method", "profile", "traits.email", taken, "code", "123456"))
                .then().statusCode(400);
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(mine));
        api.admin().get("/admin/identities/" + other).then().statusCode(200).body("traits.email", equalTo(taken));
    }

    /**
     * A code proves the mailbox it was sent to and no other: a change to an address whose send quota is spent (so
     * nothing new is issued) is not confirmed by the code mailed to the address before (the review's exploit: the
     * attacker's second mailbox's code claimed a victim's address, verified).
     */
    @Test
    void aCodeMailedToOneAddressNeverConfirmsAnother() throws Exception {
        String mine = Api.uniqueEmail();
        String second = Api.uniqueEmail();
        String victim = Api.uniqueEmail();
        api.createIdentity(mine);
        String token = api.signIn(mine);
        String flow = settingsFlow(token);
        save(token, flow, Map.of("method", "profile", "traits.email", second)).then().statusCode(200);
        String secondCode = code(Smtp.await(second, 1, Duration.ofSeconds(20)).get(0));

        api.spendSendQuota(victim);
        clock.advance(Duration.ofSeconds(61));
        save(token, flow, Map.of("method", "profile", "traits.email", victim)).then().statusCode(200);
        save(token, flow, Map.of("method", "profile", "traits.email", victim, "code", secondCode)).then()
                .statusCode(400);
        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(mine));
        assertThat(Smtp.messagesTo(victim)).isEmpty();
    }

    /** Once the address changed, codes and links mailed to the old one stop working (they prove the old mailbox). */
    @Test
    void codesMailedToTheOldAddressDieWithTheChange() throws Exception {
        String old = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        api.createIdentity(old);
        String token = api.signIn(old);
        String login = api.newLoginFlow();
        api.send(login, old).then().statusCode(400);
        dev.iris.testsupport.LoginMail pending = dev.iris.testsupport.LoginMail.parse(
                Smtp.await(old, 2, Duration.ofSeconds(20)).get(1));

        String flow = settingsFlow(token);
        save(token, flow, Map.of("method", "profile", "traits.email", fresh)).then().statusCode(200);
        String code = code(Smtp.await(fresh, 1, Duration.ofSeconds(20)).get(0));
        save(token, flow, Map.of("method", "profile", "traits.email", fresh, "code", code)).then().statusCode(200);

        api.redeemLink(login, pending.linkToken()).then().statusCode(400)
                .body("ui.messages[0].id", equalTo(4010008));
        api.redeemCode(login, old, pending.code()).then().statusCode(400);
    }

    @Test
    void aMalformedOrMissingAddressIsRefusedOnTheField() {
        String mine = Api.uniqueEmail();
        api.createIdentity(mine);
        String token = api.signIn(mine);
        String flow = settingsFlow(token);
        save(token, flow, Map.of("method", "profile")).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id", equalTo(4000002));
        save(token, flow, Map.of("method", "profile", "traits.email", "a<b@example.com")).then().statusCode(400)
                .body("ui.nodes.find { it.attributes.name == 'traits.email' }.messages[0].id", equalTo(4000004));
    }

    /** Iris's own /settings page: change the address, see the change pending, confirm it with the emailed code. */
    @Test
    void theBuiltInSettingsPageChangesTheAddress() throws Exception {
        String old = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        api.createIdentity(old);
        String token = api.signIn(old);
        Response start = api.request().redirects().follow(false).cookie("iris_session", token)
                .get("/self-service/settings/browser");
        start.then().statusCode(303);
        String csrf = start.cookie("iris_csrf");
        String location = start.header("Location");
        String page = location.substring(location.indexOf("/settings?"));

        Response shown = api.request().cookie("iris_session", token).cookie("iris_csrf", csrf).get(page);
        shown.then().statusCode(200).body(org.hamcrest.Matchers.containsString("id=\"email-form\""));
        String formToken = shown.htmlPath().getString("**.find { it.@name == 'csrf_token' }.@value");
        String flow = page.substring(page.indexOf("flow=") + 5);
        pagePost(token, csrf, flow, Map.of("csrf_token", formToken, "method", "profile", "traits.email", fresh));
        api.request().cookie("iris_session", token).cookie("iris_csrf", csrf).get(page).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-testid=\"email-change-pending\""))
                .body(org.hamcrest.Matchers.containsString(fresh));

        String code = code(Smtp.await(fresh, 1, Duration.ofSeconds(20)).get(0));
        for (int i = 0; i < 2; i++) { // a wrong code, twice: the page says so once (messages used to pile up)
            pagePost(token, csrf, flow, Map.of("csrf_token", formToken, "method", "profile", "traits.email", fresh,
                    "code", wrong(code)));
        }
        String refused = api.request().cookie("iris_session", token).cookie("iris_csrf", csrf).get(page).asString();
        assertThat(refused.split("verification code is invalid", -1)).hasSize(2);
        pagePost(token, csrf, flow, Map.of("csrf_token", formToken, "method", "profile", "traits.email", fresh,
                "code", code));
        Response after = api.request().cookie("iris_session", token).cookie("iris_csrf", csrf).get(page);
        after.then().statusCode(200);
        assertThat(after.asString()).contains("data-testid=\"email\">" + fresh + "<")
                .doesNotContain("email-change-pending");
    }

    private void pagePost(String token, String csrf, String flow, Map<String, String> form) {
        api.request().redirects().follow(false).cookie("iris_session", token).cookie("iris_csrf", csrf)
                .contentType(ContentType.URLENC).queryParam("flow", flow).formParams(form)
                .post("/self-service/settings").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.containsString("/settings?flow=" + flow));
    }

    /**
     * The profile group's shape without the typed address (the field echoes it) — everything else must be the same.
     * (The other groups belong to other methods: an authenticator secret differs per identity.)
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutAddresses(Map<String, Object> flow) {
        Map<String, Object> ui = (Map<String, Object>) flow.get("ui");
        ui.put("nodes", ((java.util.List<Object>) ui.get("nodes")).stream()
                .filter(node -> "profile".equals(((Map<String, Object>) node).get("group"))).toList());
        for (Object node : (java.util.List<Object>) ui.get("nodes")) {
            Map<String, Object> attributes = (Map<String, Object>) ((Map<String, Object>) node).get("attributes");
            if ("traits.email".equals(attributes.get("name"))) {
                attributes.put("value", "<address>");
            }
            for (Object message : (java.util.List<Object>) ((Map<String, Object>) node).get("messages")) {
                ((Map<String, Object>) message).put("context", "<address>");
            }
        }
        flow.put("identity", "<identity>");
        return flow;
    }

    private static String code(MimeMessage message) throws Exception {
        Matcher matcher = CODE.matcher(dev.iris.testsupport.LoginMail.textOf(message));
        assertThat(matcher.find()).as("a code in the email").isTrue();
        return matcher.group(1);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    private long count(String sql, String flowId) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(flowId))).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
