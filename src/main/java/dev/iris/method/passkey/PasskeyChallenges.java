package dev.iris.method.passkey;

import dev.iris.config.IrisConfig;
import dev.iris.credential.WebAuthnStore;
import dev.iris.crypto.CodeHasher;
import dev.iris.support.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.UUID;

/**
 * The WebAuthn challenge of a flow: 32 bytes derived from the flow id with the HMAC key ({@code iris.secrets.hmac}),
 * so it exists from the flow's first rendering on any instance without being stored, is unpredictable without the key,
 * and dies with the flow. Single use: the first ceremony that verifies with it claims it ({@code SET NX}, kept as
 * long as a flow lives); every later one — a replay, or a second use racing the first — is refused.
 */
@Singleton
public class PasskeyChallenges {

    private final CodeHasher hasher;
    private final ReactiveRedisDataSource redis;
    private final IrisConfig config;

    public PasskeyChallenges(CodeHasher hasher, ReactiveRedisDataSource redis, IrisConfig config) {
        this.hasher = hasher;
        this.redis = redis;
        this.config = config;
    }

    /** The challenge of {@code flowId} for {@code purpose} ({@code login}, {@code register}). */
    public byte[] of(UUID flowId, String purpose) {
        return hasher.sign("webauthn-challenge:" + purpose, flowId.toString());
    }

    /**
     * The identity's WebAuthn user handle: the one its credentials carry, else one derived from its id with the HMAC
     * key (stable between showing the options and verifying, and not the identity id itself).
     */
    public byte[] userHandle(UUID identityId, List<WebAuthnStore.Credential> existing) {
        return existing.isEmpty() ? hasher.sign("webauthn-user", identityId.toString())
                : existing.get(0).userHandle();
    }

    /** Claims the challenge; false when it was used already. */
    public Uni<Boolean> claim(UUID flowId, String purpose) {
        return redis.getRedis().send(Request.cmd(Command.SET).arg(RedisKeys.webauthnChallengeUsed(flowId, purpose))
                        .arg("1").arg("NX").arg("PX").arg(Long.toString(config.flow().lifespan().toMillis())))
                .map(response -> response != null);
    }
}
