package dev.iris.session;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.TestClock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;

import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class SessionLifecycleTest {

    @Inject
    TestClock clock;

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    private final Api api = Api.local();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void whoamiRefillsTheCacheFromPostgresAfterItIsLost() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        redis.key().del(cacheKey(token));

        api.whoami(token).then().statusCode(200).body("identity.traits.email", equalTo(email));
        org.assertj.core.api.Assertions.assertThat(redis.key().exists(cacheKey(token))).isTrue();
    }

    @Test
    void expiredSessionIsRefusedEvenWhileCached() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        api.whoami(token).then().statusCode(200);

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        api.whoami(token).then().statusCode(401).body("error.id", equalTo("session_inactive"));
    }

    @Test
    void sessionRevokedInPostgresIsRefusedOnceTheCacheIsGone() {
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String token = api.signIn(email);
        pool.preparedQuery("UPDATE sessions SET revoked_at = now() WHERE token_hash = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(dev.iris.crypto.Digests.sha256(token))))
                .await().indefinitely();
        redis.key().del(cacheKey(token));

        api.whoami(token).then().statusCode(401);
    }

    private static String cacheKey(String token) {
        return "iris:session:" + HexFormat.of().formatHex(dev.iris.crypto.Digests.sha256(token));
    }
}
