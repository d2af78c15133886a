package dev.iris.session;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class UserSessionsTest {

    @Inject
    TestClock clock;

    @Inject
    MeterRegistry metrics;

    private final Api api = Api.local();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void listRevokeOneAndCannotTouchSomeoneElses() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String current = api.signIn(email);
        String other = api.signIn(email);
        String third = api.signIn(email);
        String stranger = Api.uniqueEmail();
        api.createIdentity(stranger);
        String strangerToken = api.signIn(stranger);
        String strangerSession = api.whoami(strangerToken).path("id");

        List<String> others = api.request().header("X-Session-Token", current).get("/sessions").then()
                .statusCode(200).body("$", hasSize(2)).extract().path("id");
        String otherId = api.whoami(other).path("id");
        assertThat(others).contains(otherId).doesNotContain(api.whoami(current).<String>path("id"));

        api.request().header("X-Session-Token", current).delete("/sessions/" + otherId).then().statusCode(204);
        api.whoami(other).then().statusCode(401);
        api.whoami(third).then().statusCode(200);

        api.request().header("X-Session-Token", current).delete("/sessions/" + strangerSession).then().statusCode(404);
        api.whoami(strangerToken).then().statusCode(200);
        api.request().header("X-Session-Token", current).delete("/sessions/not-a-uuid").then().statusCode(404);
        api.request().header("X-Session-Token", current).delete("/sessions/" + api.whoami(current).path("id"))
                .then().statusCode(400);
    }

    @Test
    void revokeAllOthersKeepsTheCurrentOne() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String current = api.signIn(email);
        String a = api.signIn(email);
        String b = api.signIn(email);

        api.request().header("Authorization", "Bearer " + current).delete("/sessions").then().statusCode(200)
                .body("count", equalTo(2));
        api.whoami(a).then().statusCode(401);
        api.whoami(b).then().statusCode(401);
        api.whoami(current).then().statusCode(200);
        api.request().header("X-Session-Token", current).get("/sessions").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void sessionEndpointsNeedASession() {
        api.request().get("/sessions").then().statusCode(401).body("error.id", equalTo("session_inactive"));
        api.request().delete("/sessions").then().statusCode(401);
        api.request().delete("/sessions/" + java.util.UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void slidingExpiryWritesPostgresAtMostOncePerInterval() throws Exception {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        Instant before = Instant.parse(api.whoami(token).path("expires_at"));
        double extendedBefore = metrics.counter("iris.sessions.extended").count();

        for (int i = 0; i < 20; i++) {
            api.whoami(token).then().statusCode(200);
        }
        assertThat(metrics.counter("iris.sessions.extended").count()).as("nothing due yet").isEqualTo(extendedBefore);

        clock.advance(Duration.ofHours(2));
        List<Integer> statuses = Race.run(16, () -> Api.local().whoami(token).statusCode());
        assertThat(statuses).containsOnly(200);
        for (int i = 0; i < 20; i++) {
            api.whoami(token).then().statusCode(200);
        }
        assertThat(metrics.counter("iris.sessions.extended").count()).isEqualTo(extendedBefore + 1);
        Instant after = Instant.parse(api.whoami(token).path("expires_at"));
        assertThat(after).isAfter(before.plus(Duration.ofMinutes(119)));

        clock.advance(Duration.ofHours(23));
        api.whoami(token).then().statusCode(200);
    }
}
