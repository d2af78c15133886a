package dev.iris.ratelimit;

import dev.iris.config.IrisConfig;
import dev.iris.config.Quota;
import dev.iris.support.ApiException;
import dev.iris.support.RedisKeys;
import dev.iris.crypto.CodeHasher;
import dev.iris.support.Unavailable;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Every abuse limit in one place, all counted in Redis so they hold across any number of instances:
 * sends per IP (429), sends per address (silently no email), resend cooldown per flow (429), failed 6-digit
 * codes per address across flows (a slot taken before comparing; once spent, codes fail like wrong ones; links
 * still work), failed redemptions per IP (429), second-factor attempts per identity and per session (429).
 * Addresses appear in keys only as HMACs. If Redis cannot be reached, the guard fails closed: 503.
 */
@Singleton
public class AbuseGuard {

    private final SlidingWindow windows;
    private final ResendCooldown cooldown;
    private final CodeHasher hasher;
    private final MeterRegistry metrics;
    private final Duration cooldownLength;
    private final Quota sendPerIp;
    private final Quota sendPerAddress;
    private final Quota failedCodesPerAddress;
    private final Quota failedRedeemsPerIp;
    private final Quota secondFactorAttempts;

    public AbuseGuard(SlidingWindow windows, ResendCooldown cooldown, CodeHasher hasher, MeterRegistry metrics,
                      IrisConfig config) {
        this.windows = windows;
        this.cooldown = cooldown;
        this.hasher = hasher;
        this.metrics = metrics;
        IrisConfig.RateLimit limits = config.ratelimit();
        this.cooldownLength = limits.resendCooldown();
        this.sendPerIp = limits.sendPerIp();
        this.sendPerAddress = limits.sendPerAddress();
        this.failedCodesPerAddress = limits.failedCodesPerAddress();
        this.failedRedeemsPerIp = limits.failedRedeemsPerIp();
        this.secondFactorAttempts = limits.secondFactorAttempts();
    }

    /**
     * Admits one send (first send or resend) in the flow {@code flowId} from {@code ip}. One script on the flow's
     * keys checks that its attempts (counted at {@code attemptsKey}) are not spent — if they are, the answer is an
     * empty item and nothing is counted — and that its cooldown is over, and starts the cooldown; then the IP's
     * quota is charged. A too-early resend is refused (429) before the IP pays anything; a send the IP quota refuses
     * (429) puts the cooldown back. Returns when the next send is allowed.
     */
    public Uni<Optional<Instant>> admitSend(UUID flowId, String ip, String attemptsKey, long maxAttempts) {
        return guarded(cooldown.acquire(flowId, attemptsKey, maxAttempts, cooldownLength).chain(start -> {
            if (start.exhausted()) {
                return Uni.createFrom().item(Optional.<Instant>empty());
            }
            refuseIfWaiting(start.remaining(), "resend_cooldown");
            return windows.tryAcquire(ipKey("send-ip", ip), sendPerIp).chain(verdict -> verdict.allowed()
                    ? Uni.createFrom().item(Optional.of(cooldown.nextAllowed(cooldownLength)))
                    : cooldown.release(flowId, start, cooldownLength)
                    .chain(() -> refused(verdict, "send_per_ip")));
        }));
    }

    /** Charges the address's send quota; false means: answer as usual, but send nothing. */
    public Uni<Boolean> addressMaySend(String email) {
        return guarded(windows.tryAcquire(addressKey("send-addr", email), sendPerAddress)
                .map(verdict -> {
                    if (!verdict.allowed()) {
                        limited("send_per_address");
                    }
                    return verdict.allowed();
                }));
    }

    /** Refuses (429) a redemption from an IP that failed too often lately. */
    public Uni<Void> admitRedeem(String ip) {
        return guarded(windows.check(ipKey("fail-ip", ip), failedRedeemsPerIp)
                .invoke(verdict -> refuseIfDenied(verdict, "failed_redeems_per_ip"))
                .replaceWithVoid());
    }

    /**
     * Takes one of the address's failed-code slots <em>before</em> a 6-digit code is compared (Kratos raises its
     * counter before the lookup): one script counts the attempt only if the budget has room, so of any number of
     * concurrent codes for one address across its flows at most {@code failed-codes-per-address} are ever
     * compared. A refused slot means the code must fail like a wrong one without being compared; a right code gives
     * its slot back ({@link #giveBack}), a wrong one keeps it (it is the failure). {@code email} null (a link token,
     * or a flow that sent nothing): no budget involved. Known and unknown addresses spend it the same way.
     */
    public Uni<CodeSlot> takeCodeSlot(String email) {
        if (email == null) {
            return Uni.createFrom().item(CodeSlot.FREE);
        }
        return guarded(windows.reserve(addressKey("fail-addr", email), failedCodesPerAddress)
                .map(slot -> {
                    if (slot == null) {
                        limited("failed_codes_per_address");
                        return CodeSlot.REFUSED;
                    }
                    return new CodeSlot(true, slot);
                }));
    }

    /**
     * Gives back the slot of a code that turned out right. Best effort: the sign-in has happened, so a Redis
     * failure here only costs the address one slot until the window passes, never the answer.
     */
    public Uni<Void> giveBack(CodeSlot slot) {
        if (slot.held() == null) {
            return Uni.createFrom().voidItem();
        }
        return windows.release(slot.held())
                .onFailure().invoke(failure -> Log.warnf("Failed-code slot not given back: %s",
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Counts an attempt against the address without comparing anything (a flow whose attempts are spent). */
    public Uni<Void> chargeCodeFailure(String email) {
        if (email == null) {
            return Uni.createFrom().voidItem();
        }
        return guarded(windows.record(addressKey("fail-addr", email), failedCodesPerAddress));
    }

    /** A slot of the per-address failed-code budget: {@code granted} false means "do not compare". */
    public record CodeSlot(boolean granted, SlidingWindow.Slot held) {
        static final CodeSlot FREE = new CodeSlot(true, null);
        static final CodeSlot REFUSED = new CodeSlot(false, null);
    }

    /**
     * Charges one second-factor attempt (TOTP or backup code) to the identity and to the session; 429 once either
     * budget is spent. Every attempt counts, right or wrong: a 6-digit TOTP has only a million values.
     */
    public Uni<Void> admitSecondFactor(UUID identityId, UUID sessionId) {
        return guarded(windows.tryAcquire(secondFactorIdentityKey(identityId), secondFactorAttempts)
                .invoke(verdict -> refuseIfDenied(verdict, "second_factor_per_identity"))
                .chain(() -> windows.tryAcquire(RedisKeys.rateLimit("2fa-session", String.valueOf(sessionId)),
                        secondFactorAttempts))
                .invoke(verdict -> refuseIfDenied(verdict, "second_factor_per_session"))
                .replaceWithVoid());
    }

    /** Counts a failed redemption against the IP (6-digit codes also keep their address slot, see above). */
    public Uni<Void> recordFailure(String ip) {
        return guarded(windows.record(ipKey("fail-ip", ip), failedRedeemsPerIp));
    }

    private void refuseIfWaiting(Duration wait, String limit) {
        if (!wait.isZero()) {
            limited(limit);
            throw tooMany(wait);
        }
    }

    private void refuseIfDenied(SlidingWindow.Verdict verdict, String limit) {
        if (!verdict.allowed()) {
            limited(limit);
            throw tooMany(verdict.retryAfter());
        }
    }

    /** The 429 of a denied verdict, as a failed Uni. */
    private <T> Uni<T> refused(SlidingWindow.Verdict verdict, String limit) {
        limited(limit);
        return Uni.createFrom().failure(tooMany(verdict.retryAfter()));
    }

    private void limited(String limit) {
        metrics.counter("iris.ratelimit.limited", "limit", limit).increment();
        Log.infof("audit ratelimit.limited limit=%s", limit);
    }

    /** The 429 every limit answers: Kratos's error shape, {@code Retry-After} and {@code retry_after_seconds}. */
    static ApiException tooMany(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(429, "self_service_flow_rate_limited",
                "Too many requests; retry after " + seconds + " seconds.")
                .header("Retry-After", Long.toString(seconds))
                .with("retry_after_seconds", seconds);
    }

    /** Redis failures fail closed: nothing gets through unlimited. */
    static <T> Uni<T> guarded(Uni<T> work) {
        return Unavailable.redis(work, "rate_limiter_unavailable",
                "Abuse protection (Redis) is unavailable, so this request was refused; retry shortly.");
    }

    static String secondFactorIdentityKey(UUID identityId) {
        return RedisKeys.rateLimit("2fa-identity", String.valueOf(identityId));
    }

    private static String ipKey(String kind, String ip) {
        return RedisKeys.rateLimit(kind, ip == null ? "unknown" : ip);
    }

    private String addressKey(String kind, String email) {
        return RedisKeys.rateLimit(kind, HexFormat.of().formatHex(hasher.sign("ratelimit-address", email)));
    }
}
