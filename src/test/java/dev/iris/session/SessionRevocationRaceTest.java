package dev.iris.session;

import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.crypto.Digests;
import dev.iris.testsupport.Api;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16, item 2, step by step on the real Redis and Postgres: a cache refill that read the session as active
 * before a revocation and writes after it must not bring the session back, on any revocation path.
 */
@QuarkusTest
class SessionRevocationRaceTest {

    @Inject
    SessionRepository sessions;

    @Inject
    IdentityRepository identities;

    @Inject
    SessionIssuer issuer;

    @Inject
    RedisDataSource redis;

    private final Api api = Api.local();

    @Test
    void aRefillThatReadBeforeALogoutAndWritesAfterItDoesNotWin() throws Throwable {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        redis.key().del(cacheKey(token)); // cold
        Stale stale = readAsARefillWould(token); // the refill's Postgres read: active

        api.logout(token).then().statusCode(204);
        writeAsTheRefillWould(stale); // ... and its Redis write, after the logout's eviction

        api.whoami(token).then().statusCode(401).body("error.id", equalTo("session_inactive"));
        api.whoami(token).then().statusCode(401);
        String key = cacheKey(token);
        assertThat(redis.value(String.class).get(key)).as("the tombstone").isEqualTo("revoked");
        assertThat(redis.key().pttl(key)).as("every key has a TTL").isPositive();
    }

    @Test
    void aRefillLosesToEveryOtherRevocationPathToo() throws Throwable {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String current = api.signIn(email);
        String other = api.signIn(email);
        String byAdmin = api.signIn(email);
        Stale otherStale = readAsARefillWould(other);
        Stale adminStale = readAsARefillWould(byAdmin);

        api.request().header("X-Session-Token", current).delete("/sessions/" + otherStale.session().id)
                .then().statusCode(204);
        api.admin().delete("/admin/sessions/" + adminStale.session().id).then().statusCode(204);
        writeAsTheRefillWould(otherStale);
        writeAsTheRefillWould(adminStale);
        api.whoami(other).then().statusCode(401);
        api.whoami(byAdmin).then().statusCode(401);

        Stale currentStale = readAsARefillWould(current);
        api.admin().delete("/admin/identities/" + identityId + "/sessions").then().statusCode(204);
        writeAsTheRefillWould(currentStale);
        api.whoami(current).then().statusCode(401);

        String last = api.signIn(email);
        Stale lastStale = readAsARefillWould(last);
        api.admin().delete("/admin/identities/" + identityId).then().statusCode(204);
        writeAsTheRefillWould(lastStale);
        api.whoami(last).then().statusCode(401);
    }

    /** Not a revocation: the session stays valid, but a refill with the verdict from before may not win either. */
    @Test
    void aRefillWithTheOldVerdictLosesToASecondFactorChange() throws Throwable {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        String other = api.signIn(email);
        Stale stale = readAsARefillWould(other); // no second factor yet: AAL1 is enough

        String flow = api.request().header("X-Session-Token", token).get("/self-service/settings/api")
                .then().statusCode(200).extract().path("id");
        for (String step : List.of("lookup_secret_regenerate", "lookup_secret_confirm")) {
            api.request().contentType(ContentType.JSON).header("X-Session-Token", token).queryParam("flow", flow)
                    .body(Map.of("method", "lookup_secret", step, true)).post("/self-service/settings")
                    .then().statusCode(200);
        }
        writeAsTheRefillWould(stale);

        api.whoami(other).then().statusCode(403).body("error.id", equalTo("session_aal2_required"));
        api.whoami(token).then().statusCode(200).body("authenticator_assurance_level", equalTo("aal2"));
    }

    /** The session row and identity as a cache refill reads them from Postgres. */
    private record Stale(AuthSession session, Identity identity) {
    }

    private Stale readAsARefillWould(String token) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> sessions
                .findByTokenHash(Digests.sha256(token))
                .chain(session -> identities.findById(session.identityId).map(identity -> new Stale(session,
                        identity)))));
    }

    private void writeAsTheRefillWould(Stale stale) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> issuer.cacheIfPossible(stale.session(), stale.identity()));
    }

    private static String cacheKey(String token) {
        return "iris:session:" + HexFormat.of().formatHex(Digests.sha256(token));
    }
}
