package dev.iris.support;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts run by SHA on the real Redis, fall back to EVAL exactly once when Redis does not know them. */
@QuarkusTest
class RedisScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ReactiveRedisDataSource dataSource;

    @Test
    void runsAfterTheServerForgotEveryScriptAndIsCachedThen() {
        Redis redis = dataSource.getRedis();
        String key = "iris:test:{" + UUID.randomUUID() + "}";
        // A script text of its own, so no other test can have loaded it by chance.
        RedisScript script = new RedisScript("-- " + key + "\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])");
        send(redis, Request.cmd(Command.SCRIPT).arg("FLUSH"));

        assertThat(script.run(redis, key, "5").await().atMost(WAIT).toLong()).isEqualTo(5);
        assertThat(script.run(redis, key, "2").await().atMost(WAIT).toLong()).isEqualTo(7);
        assertThat(send(redis, Request.cmd(Command.SCRIPT).arg("EXISTS").arg(script.sha())).get(0).toLong())
                .isEqualTo(1);
    }

    @Test
    void aFailingScriptIsNotRunTwice() {
        Redis redis = dataSource.getRedis();
        String key = "iris:test:{" + UUID.randomUUID() + "}";
        RedisScript failing = new RedisScript("-- " + key
                + "\nredis.call('INCR', KEYS[1])\nreturn redis.error_reply('ERR boom')");
        send(redis, Request.cmd(Command.SCRIPT).arg("FLUSH"));

        assertThatThrownBy(() -> failing.run(redis, key).await().atMost(WAIT)).hasMessageContaining("boom");
        assertThat(send(redis, Request.cmd(Command.GET).arg(key)).toLong()).isEqualTo(1);
        assertThatThrownBy(() -> failing.run(redis, key).await().atMost(WAIT)).hasMessageContaining("boom");
        assertThat(send(redis, Request.cmd(Command.GET).arg(key)).toLong()).isEqualTo(2);
    }

    @Test
    void onlyNoScriptRepliesAreRetried() {
        assertThat(RedisScript.noScript(new RuntimeException("NOSCRIPT No matching script. Please use EVAL.")))
                .isTrue();
        assertThat(RedisScript.noScript(new RuntimeException("ERR boom"))).isFalse();
        assertThat(RedisScript.noScript(new RuntimeException())).isFalse();
    }

    private static Response send(Redis redis, Request request) {
        return redis.send(request).await().atMost(WAIT);
    }
}
