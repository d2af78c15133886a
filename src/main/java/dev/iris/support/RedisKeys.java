package dev.iris.support;

import java.util.HexFormat;
import java.util.UUID;

/**
 * Every Redis key name Iris uses, one builder per key family, each naming the class that owns the family (the
 * only one that writes it). All keys start with {@code iris:}.
 *
 * <p>Redis Cluster: a script or transaction may only touch keys of one hash slot, and a key's slot is computed
 * from its hash tag (the text between the first {@code {} and the next {@code }}) when it has one. Keys that one
 * script reads together share a tag; a key that is only ever touched alone carries a tag of its own or none.
 * Changing any of these strings orphans the keys already in Redis (counters, cooldowns, sessions); tests pin them.
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    /**
     * {@code iris:{<flowId>}:flow}, the flow's JSON. Owner: {@code selfservice.flow.FlowStore}. Tagged with the
     * flow id so that it shares a slot with the flow's other keys ({@link #flowAttempts}, {@link #resendCooldown}).
     */
    public static String flow(UUID flowId) {
        return "iris:{" + flowId + "}:flow";
    }

    /**
     * {@code iris:{<flowId>}:attempts}, the flow's submission counter. Owner: {@code selfservice.flow.FlowStore}
     * (counts); {@code ratelimit.ResendCooldown}'s script reads it with {@link #resendCooldown} in one call, which
     * Redis Cluster allows only because both carry the flow id as their tag.
     */
    public static String flowAttempts(UUID flowId) {
        return "iris:{" + flowId + "}:attempts";
    }

    /**
     * {@code iris:{<flowId>}:cooldown}, when the flow may send again. Owner: {@code ratelimit.ResendCooldown}.
     * Same tag as {@link #flowAttempts}, which its acquire script reads.
     */
    public static String resendCooldown(UUID flowId) {
        return "iris:{" + flowId + "}:cooldown";
    }

    /**
     * {@code iris:rl:{<counter>:<subject>}}, a sliding-window counter (sorted set) such as {@code send-ip},
     * {@code fail-addr} or {@code 2fa-session}, for one subject (an IP, an address HMAC, an id). Owner:
     * {@code ratelimit.AbuseGuard} (counted by {@code ratelimit.SlidingWindow}). Each script touches one counter;
     * the tag is the whole counter name, so counters spread over the cluster by subject.
     */
    public static String rateLimit(String counter, String subject) {
        return "iris:rl:{" + counter + ":" + subject + "}";
    }

    /**
     * {@code iris:rl:{2fa-lockout:<identityId>}}, the identity's escalating second-factor lockout (a hash: count,
     * locked-until). Owner: {@code ratelimit.SecondFactorLockout}. One key per script, tagged like the rate-limit
     * counters.
     */
    public static String secondFactorLockout(UUID identityId) {
        return rateLimit("2fa-lockout", String.valueOf(identityId));
    }

    /**
     * {@code iris:session:<hex of the token hash>}, a cached session, tombstone or invalidation mark. Owner:
     * {@code session.SessionCache}. No tag: every command and script touches this one key, so the whole cache
     * spreads over the cluster.
     */
    public static String session(byte[] tokenHash) {
        return "iris:session:" + HexFormat.of().formatHex(tokenHash);
    }

    /**
     * {@code iris:session-invalidations}, the pub/sub channel on which a revocation or invalidation of a cached
     * session is announced (the hex of the token hash), with each instance's heartbeat. Owner:
     * {@code session.SessionInvalidations}. A channel, not a key: on Redis Cluster a PUBLISH reaches every node.
     */
    public static String sessionInvalidations() {
        return "iris:session-invalidations";
    }

    /**
     * {@code iris:session-invalidations:<instance>}, the channel on which one instance pings itself (its fence: see
     * {@code session.SessionInvalidations}). Owner: {@code session.SessionInvalidations}.
     */
    public static String sessionInvalidationPings(String instance) {
        return sessionInvalidations() + ":" + instance;
    }

    /**
     * {@code iris:session-near-members}, a sorted set of the instances whose near cache may be serving, each scored
     * with the Redis time (ms) until which it may (refreshed by every heartbeat): a revocation needs the
     * acknowledgement of each of them, or waits the fence. Owner: {@code session.SessionInvalidations}.
     */
    public static String sessionNearMembers() {
        return "iris:session-near-members";
    }

    /**
     * {@code iris:session:<hex of the token hash>:refresh}, the claim to extend a session's expiry ({@code SET NX}).
     * Owner: {@code session.SessionCache}. No tag: it is set on its own, never in one call with {@link #session},
     * so the two may live on different nodes.
     */
    public static String sessionRefresh(byte[] tokenHash) {
        return session(tokenHash) + ":refresh";
    }

    /**
     * {@code iris:error:<id>}, a self-service error a browser was sent to the error page with (JSON, one hour).
     * Owner: {@code http.SelfServiceErrors}. No tag: one key per command.
     */
    public static String selfServiceError(UUID errorId) {
        return "iris:error:" + errorId;
    }

    /**
     * {@code iris:{<flowId>}:webauthn:<purpose>}, set once a WebAuthn challenge of the flow was used (login or
     * registration): the challenge is single use. Owner: {@code method.passkey.PasskeyChallenges}.
     */
    public static String webauthnChallengeUsed(UUID flowId, String purpose) {
        return "iris:{" + flowId + "}:webauthn:" + purpose;
    }
}
