package dev.iris.support;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script on one key, run by its SHA-1 ({@code EVALSHA}): the script text is not sent, nor hashed by Redis,
 * on every call (measured: the send path runs three scripts per request). A server that does not know the script
 * yet (restarted, flushed, another node of a cluster) answers {@code NOSCRIPT}; then it is sent once with
 * {@code EVAL}, which also caches it there. Scripts are atomic either way, so a retry after NOSCRIPT cannot count
 * twice: NOSCRIPT means nothing ran.
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    public RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs the script with {@code KEYS[1] = key} and {@code args} as ARGV; the reply may be {@code null}. */
    public Uni<Response> run(Redis redis, String key, String... args) {
        return run(redis, List.of(key), args);
    }

    /** The same with several keys; on Redis Cluster they must share one hash tag. */
    public Uni<Response> run(Redis redis, List<String> keys, String... args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .onFailure(RedisScript::noScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    String sha() {
        return sha;
    }

    private static Request request(Command command, String script, List<String> keys, String... args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    static boolean noScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-1 is required of every JVM", impossible);
        }
    }
}
