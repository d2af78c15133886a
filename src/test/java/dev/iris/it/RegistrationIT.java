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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Issue 3's acceptance from outside: sign-up, identity and session administration on two packaged instances. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationIT {

    private static final Pattern NEXT = Pattern.compile("<[^>]*(/admin/identities\\?[^>]*)>; rel=\"next\"");

    private PackagedApp first;
    private PackagedApp second;

    @BeforeAll
    void start() {
        Map<String, String> config = Map.of("iris.login.notify-unknown-address", "true");
        first = PackagedApp.start("registration-a", config);
        second = PackagedApp.start("registration-b", config);
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void signUpByCodeAndByLinkFromAFreshClient() {
        String byCode = Api.uniqueEmail();
        String flow = first.api().newRegistrationFlow();
        first.api().signUp(flow, byCode).then().statusCode(400).body("ui.messages[0].id", equalTo(1040005));
        Response done = first.api().completeSignUp(flow, byCode, Smtp.awaitLogin(byCode).code());
        done.then().statusCode(200).body("identity.verifiable_addresses[0].verified", equalTo(true));
        second.api().whoami(done.path("session_token")).then().statusCode(200);

        String byLink = Api.uniqueEmail();
        first.api().signUp(first.api().newRegistrationFlow(), byLink).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(byLink);
        Response linked = second.api().register(mail.flowId(), Map.of("method", "code", "code", mail.linkToken()));
        linked.then().statusCode(200).body("identity.verifiable_addresses[0].verified", equalTo(true));
        first.api().whoami(linked.path("session_token")).then().statusCode(200)
                .body("identity.traits.email", equalTo(byLink));
    }

    @Test
    void existingAddressAnswersLikeANewOneAndItsEmailSignsIn() {
        String existing = Api.uniqueEmail();
        String id = first.api().createIdentity(existing);
        Response existingAnswer = first.api().signUp(first.api().newRegistrationFlow(), existing);
        Response newAnswer = first.api().signUp(first.api().newRegistrationFlow(), Api.uniqueEmail());
        assertThat(existingAnswer.statusCode()).isEqualTo(newAnswer.statusCode());
        assertThat(JsonShape.of(existingAnswer.jsonPath().getMap("")))
                .isEqualTo(JsonShape.of(newAnswer.jsonPath().getMap("")));

        LoginMail mail = Smtp.awaitLogin(existing);
        second.api().register(mail.flowId(), Map.of("method", "code", "code", mail.linkToken()))
                .then().statusCode(200).body("identity.id", equalTo(id));
    }

    @Test
    void concurrentCompletionsForOneAddressMakeOneIdentity() throws Exception {
        String email = Api.uniqueEmail();
        String flowA = first.api().newRegistrationFlow();
        String flowB = second.api().newRegistrationFlow();
        first.api().signUp(flowA, email).then().statusCode(400);
        LoginMail mailA = Smtp.awaitLogin(email);
        second.api().signUp(flowB, email).then().statusCode(400);
        LoginMail mailB = LoginMail.parse(Smtp.await(email, 2, Duration.ofSeconds(30)).get(1));
        AtomicInteger n = new AtomicInteger();

        List<Integer> statuses = Race.run(2, () -> n.getAndIncrement() == 0
                ? first.api().completeSignUp(flowA, email, mailA.code()).statusCode()
                : second.api().completeSignUp(flowB, email, mailB.code()).statusCode());

        assertThat(statuses).allMatch(s -> s < 500);
        first.api().admin().queryParam("credentials_identifier", email).get("/admin/identities").then()
                .statusCode(200).body("$", hasSize(1));
    }

    @Test
    void adminPagesFiltersAndDeletionEndsSessionsEverywhere() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            created.add(first.api().createIdentity(Api.uniqueEmail()));
        }
        List<String> seen = new ArrayList<>();
        String next = "/admin/identities?page_size=10";
        while (next != null) {
            Response page = second.api().admin().get(next);
            page.then().statusCode(200);
            List<String> ids = page.path("id");
            assertThat(ids).hasSizeLessThanOrEqualTo(10);
            seen.addAll(ids);
            Matcher link = NEXT.matcher(page.header("Link"));
            next = link.find() ? link.group(1) : null;
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(created);

        String email = Api.uniqueEmail();
        String id = first.api().createIdentity(email);
        first.api().admin().queryParam("credentials_identifier", email).get("/admin/identities").then()
                .statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(id));
        String token = first.api().signIn(email);
        first.api().whoami(token).then().statusCode(200);
        second.api().whoami(token).then().statusCode(200);
        second.api().admin().delete("/admin/identities/" + id).then().statusCode(204);
        first.api().whoami(token).then().statusCode(401);
        second.api().whoami(token).then().statusCode(401);
    }

    @Test
    void usersManageTheirOwnSessionsOnly() {
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        String current = first.api().signIn(email);
        String other = second.api().signIn(email);
        String stranger = Api.uniqueEmail();
        first.api().createIdentity(stranger);
        String strangerSession = first.api().whoami(first.api().signIn(stranger)).path("id");

        String otherId = first.api().whoami(other).path("id");
        first.api().request().header("X-Session-Token", current).get("/sessions").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(otherId));
        second.api().request().header("X-Session-Token", current).delete("/sessions/" + otherId)
                .then().statusCode(204);
        first.api().whoami(other).then().statusCode(401);
        second.api().whoami(other).then().statusCode(401);
        first.api().request().header("X-Session-Token", current).delete("/sessions/" + strangerSession)
                .then().statusCode(404);
    }

    @Test
    void whoamiUnderLoadDoesNotWritePostgres() throws Exception {
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        String token = first.api().signIn(email);
        String sessionId = first.api().whoami(token).path("id");
        String expiresBefore = expiresAt(sessionId);

        Race.run(16, () -> {
            for (int i = 0; i < 25; i++) {
                (i % 2 == 0 ? first : second).api().whoami(token).then().statusCode(200);
            }
            return null;
        });

        assertThat(expiresAt(sessionId)).isEqualTo(expiresBefore);
        for (PackagedApp app : List.of(first, second)) {
            assertThat(app.api().request().get("/q/metrics").asString())
                    .doesNotContainPattern("iris_sessions_extended_total [1-9]");
        }
    }

    @Test
    void loginForAnUnknownAddressCanInviteToSignUp() {
        String unknown = Api.uniqueEmail();
        String flow = first.api().newLoginFlow();
        first.api().send(flow, unknown).then().statusCode(400).body("state", equalTo("sent_email"));

        LoginMail invitation = Smtp.awaitLogin(unknown);
        assertThat(invitation.subject()).isEqualTo("No account for this address");
        assertThat(invitation.link()).contains("/registration?flow=");
        Response joined = second.api().register(invitation.flowId(),
                Map.of("method", "code", "code", invitation.linkToken()));
        joined.then().statusCode(200).body("identity.traits.email", equalTo(unknown))
                .body("identity.verifiable_addresses[0].verified", equalTo(true));
    }

    private static String expiresAt(String sessionId) throws Exception {
        try (Connection db = DriverManager.getConnection(PackagedApp.jdbcUrl(), PackagedApp.dbUser(),
                PackagedApp.dbPassword());
             PreparedStatement query = db.prepareStatement("SELECT expires_at::text FROM sessions WHERE id = ?::uuid")) {
            query.setString(1, sessionId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
