package dev.iris.cluster;

import java.util.List;


import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.RedisCluster;
import dev.iris.testsupport.Smtp;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The acceptance flows against a real 3-master Redis Cluster ({@code quarkus.redis.client-type=cluster}) shared
 * by two packaged instances: login by code and by link, sign-up, whoami and logout, the rate limits. Every
 * Redis operation touches one key (or keys with one hash tag), so nothing may fail with CROSSSLOT; the keys
 * really spread over all three masters. Runs where {@code redis-server} and {@code redis-cli} exist
 * (profile "redis-cluster").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterIT {

    private RedisCluster cluster;
    private PackagedApp first;
    private PackagedApp second;

    @BeforeAll
    void start() {
        cluster = RedisCluster.start();
        Map<String, String> config = Map.of("quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", cluster.hosts(), "iris.ratelimit.resend-cooldown", "60s");
        first = PackagedApp.start("cluster-a", config);
        second = PackagedApp.start("cluster-b", config);
    }

    @AfterAll
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void loginByCodeOnOneInstanceWhoamiAndLogoutOnTheOther() {
        // On a cluster the near cache stays off (messages from different nodes are not ordered: no fence); every
        // whoami reads Redis, and the logout below is refused on B at once.
        for (PackagedApp app : List.of(first, second)) {
            assertThat(app.api().request().get("/q/metrics").asString())
                    .contains("iris_session_near_cache_serving 0.0");
        }
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        Api a = first.api();
        String flow = a.newLoginFlow();
        a.send(flow, email).then().statusCode(400).body("ui.messages[0].id", equalTo(1010014));
        LoginMail mail = Smtp.awaitLogin(email);
        Response done = second.api().redeemCode(flow, email, mail.code());
        done.then().statusCode(200).body("session.authentication_methods[0].method", equalTo("code"));
        String token = done.path("session_token");
        first.api().whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(email));
        second.api().whoami(token).then().statusCode(200);
        first.api().logout(token).then().statusCode(204);
        second.api().whoami(token).then().statusCode(401);
    }

    @Test
    void loginByLinkFromAFreshClientAndSignUpByCode() {
        String email = Api.uniqueEmail();
        first.api().createIdentity(email);
        String flow = first.api().newLoginFlow();
        first.api().send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);
        String token = second.api().redeemLink(flow, mail.linkToken()).then().statusCode(200)
                .extract().path("session_token");
        first.api().whoami(token).then().statusCode(200);

        String newcomer = Api.uniqueEmail();
        String registration = second.api().newRegistrationFlow();
        second.api().signUp(registration, newcomer).then().statusCode(400).body("ui.messages[0].id", equalTo(1040005));
        LoginMail invite = LoginMail.parse(Smtp.await(newcomer, 1, Duration.ofSeconds(30)).get(0));
        Response created = first.api().completeSignUp(registration, newcomer, invite.code());
        created.then().statusCode(200).body("identity.verifiable_addresses[0].verified", equalTo(true));
        second.api().whoami(created.path("session_token")).then().statusCode(200)
                .body("identity.traits.email", equalTo(newcomer));
    }

    @Test
    void rateLimitsAndTheResendCooldownHoldAcrossInstances() {
        String ip = Api.randomIp();
        for (int i = 0; i < 5; i++) {
            Api api = (i % 2 == 0 ? first : second).api().as(ip);
            api.send(api.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        Api sixth = second.api().as(ip);
        sixth.send(sixth.newLoginFlow(), Api.uniqueEmail()).then().statusCode(429)
                .body("error.id", equalTo("self_service_flow_rate_limited"));

        String clientIp = Api.randomIp();
        Api client = first.api().as(clientIp);
        String flow = client.newLoginFlow();
        String email = Api.uniqueEmail();
        client.send(flow, email).then().statusCode(400);
        Response early = second.api().as(clientIp).resend(flow, email);
        early.then().statusCode(429);
        assertThat(Integer.parseInt(early.header("Retry-After"))).isBetween(55, 61);
    }

    @Test
    void keysSpreadOverAllThreeMasters() {
        for (int i = 0; i < 20; i++) {
            Api api = first.api();
            api.send(api.newLoginFlow(), Api.uniqueEmail()).then().statusCode(400);
        }
        assertThat(cluster.keysPerNode()).hasSize(3).allMatch(count -> count > 0);
    }
}
