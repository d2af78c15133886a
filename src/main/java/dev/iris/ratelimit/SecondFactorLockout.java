package dev.iris.ratelimit;

import dev.iris.config.IrisConfig;
import dev.iris.config.Quota;
import dev.iris.support.RedisKeys;
import dev.iris.support.RedisScript;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Escalating lockout of TOTP codes per identity (issue 16, item 9). A 6-digit TOTP code has a million values; the
 * per-window limit alone ({@code second-factor-attempts}, 5 per 5 min) still allows ~1,440 guesses a day. So the
 * identity's <em>consecutive</em> failures are counted: every full window of them (5) locks TOTP, first for the
 * quota's window, then twice as long as the lockout before, up to {@code second-factor-lockout.max-backoff}; at
 * {@code max-failures} (NIST SP 800-63B: at most 100) TOTP is refused until a backup-code sign-in or an admin
 * reset ({@link #lift}). A right TOTP code clears the count too ({@link #clear}).
 *
 * <p>As with the failed-code budget, the failure is counted <em>before</em> the code is compared ({@link #take}), so
 * concurrent guesses cannot slip past a lockout; a right code then clears it. Backup codes (50 bits, the recovery
 * path) are not counted here: they stay under the per-window limit and their success lifts the lockout.
 *
 * <p>Kept in Redis, like every other counter (design.md), not Postgres: one hash per identity, {@code
 * iris:rl:{2fa-lockout:<identityId>}}, changed by one script, so it is atomic across instances and on Redis
 * Cluster, and costs no database write per guess. What losing it would cost: a Redis that comes back empty forgets
 * the counts, giving an attacker — who must hold the victim's mailbox to reach this step at all — at most
 * {@code max-failures} more guesses; while Redis is down the step fails closed (503). The key expires
 * {@code forget-after} (default 30 days, never less than the longest lockout) after the last attempt, every
 * attempt refreshing it, refused ones included, so a hard lock lasts while anyone keeps trying.
 */
@Singleton
public class SecondFactorLockout {

    /**
     * KEYS lockout hash; ARGV now, failures per window, first lockout, longest lockout (ms), max failures, ttl (ms).
     * Returns {2, ms to wait} (locked at max failures), {1, ms to wait} (inside a lockout), or {0, failures
     * counted with this one, lockout this one started in ms (0: none, -1: max failures reached)}.
     */
    private static final RedisScript TAKE = new RedisScript("""
            local key = KEYS[1]
            local now = tonumber(ARGV[1])
            local fails = tonumber(redis.call('HGET', key, 'fails') or '0')
            if fails >= tonumber(ARGV[5]) then
              redis.call('PEXPIRE', key, ARGV[6])
              return {2, tonumber(ARGV[6])}
            end
            local locked_until = tonumber(redis.call('HGET', key, 'until') or '0')
            if locked_until > now then
              redis.call('PEXPIRE', key, ARGV[6])
              return {1, locked_until - now}
            end
            fails = redis.call('HINCRBY', key, 'fails', 1)
            local lock = 0
            if fails >= tonumber(ARGV[5]) then
              lock = -1
            elseif fails % tonumber(ARGV[2]) == 0 then
              lock = math.min(tonumber(ARGV[3]), tonumber(ARGV[4]))
              for i = 2, fails / tonumber(ARGV[2]) do
                lock = math.min(lock * 2, tonumber(ARGV[4]))
              end
              redis.call('HSET', key, 'until', string.format('%.0f', now + lock))
            end
            redis.call('PEXPIRE', key, ARGV[6])
            return {0, fails, lock}""");

    private final ReactiveRedisDataSource redis;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Quota window;
    private final Duration maxBackoff;
    private final int maxFailures;
    private final Duration memory;

    public SecondFactorLockout(ReactiveRedisDataSource redis, Clock clock, MeterRegistry metrics, IrisConfig config) {
        this.redis = redis;
        this.clock = clock;
        this.metrics = metrics;
        IrisConfig.RateLimit limits = config.ratelimit();
        this.window = limits.secondFactorAttempts();
        IrisConfig.RateLimit.SecondFactorLockout lockout = limits.secondFactorLockout();
        this.maxBackoff = lockout.maxBackoff();
        this.maxFailures = lockout.maxFailures();
        Duration forgetAfter = lockout.forgetAfter();
        this.memory = forgetAfter.compareTo(maxBackoff) < 0 ? maxBackoff : forgetAfter;
    }

    /**
     * A failure counted before the comparison. {@code lockout}: the lockout this failure starts if the code turns
     * out wrong (zero: none; {@link #locksUntilReset()}: the count reached {@code max-failures}).
     */
    public record Slot(UUID identityId, int failures, Duration lockout, boolean locksUntilReset) {

        /** True when a wrong code here escalates (a new lockout starts), which the user is told about by email. */
        public boolean escalates() {
            return locksUntilReset || !lockout.isZero();
        }
    }

    /**
     * Counts one TOTP failure for the identity before its code is compared; 429
     * {@code self_service_flow_rate_limited} (as the per-window limit answers) inside a lockout or once
     * {@code max-failures} is reached. A right code must then {@link #clear} the count.
     */
    public Uni<Slot> take(UUID identityId) {
        return AbuseGuard.guarded(TAKE.run(redis.getRedis(), key(identityId), Long.toString(clock.millis()),
                        Integer.toString(window.limit()), Long.toString(window.window().toMillis()),
                        Long.toString(maxBackoff.toMillis()), Integer.toString(maxFailures),
                        Long.toString(memory.toMillis()))
                .map(reply -> slot(identityId, reply)));
    }

    /** Clears the identity's count and lockout: after a right TOTP code or a backup-code sign-in (another factor). */
    public Uni<Void> clear(UUID identityId) {
        return AbuseGuard.guarded(redis.key(String.class).del(key(identityId)).replaceWithVoid());
    }

    /** An admin reset: the count, the lockout and the identity's per-window second-factor budget start afresh. */
    public Uni<Void> lift(UUID identityId) {
        return clear(identityId)
                .chain(() -> AbuseGuard.guarded(redis.key(String.class)
                        .del(AbuseGuard.secondFactorIdentityKey(identityId)).replaceWithVoid()))
                .invoke(() -> Log.infof("audit second_factor.lockout_lifted identity=%s via=admin", identityId));
    }

    private Slot slot(UUID identityId, Response reply) {
        long kind = reply.get(0).toLong();
        if (kind != 0) {
            String limit = kind == 2 ? "second_factor_locked" : "second_factor_lockout";
            metrics.counter("iris.ratelimit.limited", "limit", limit).increment();
            Log.infof("audit ratelimit.limited limit=%s identity=%s", limit, identityId);
            throw AbuseGuard.tooMany(Duration.ofMillis(reply.get(1).toLong()));
        }
        long lock = reply.get(2).toLong();
        return new Slot(identityId, reply.get(1).toInteger(), Duration.ofMillis(Math.max(0, lock)), lock < 0);
    }

    private static String key(UUID identityId) {
        return RedisKeys.secondFactorLockout(identityId);
    }
}
