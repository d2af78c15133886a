package dev.iris.selfservice.login;

import dev.iris.http.ReturnUrls;
import dev.iris.selfservice.flow.CodeSubmission;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowReply;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiText;

import dev.iris.config.IrisConfig;
import dev.iris.method.lookupsecret.LookupSecretMethod;
import dev.iris.method.totp.TotpMethod;
import dev.iris.mail.SecondFactorAlerts;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionIssuer;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second step of a login ({@code aal=aal2}): a signed-in AAL1 session proves a second factor — a TOTP code
 * or a backup code — and <em>the same session</em> becomes AAL2 under a new token (api clients get it as
 * {@code session_token}, browsers as a new session cookie; the AAL1 token stops working at once). Budgets:
 * attempts per identity and per session (429), submissions per flow counted before checking, failures against
 * the client IP, consecutive wrong TOTP codes per identity with an escalating lockout
 * ({@link SecondFactorLockout}); a TOTP code is accepted only once.
 */
@Singleton
public class SecondFactorLogin {

    private final FlowStore flows;
    private final FlowViews views;
    private final SessionService sessions;
    private final SessionIssuer issuer;
    private final SessionDirectory directory;
    private final TotpMethod totp;
    private final LookupSecretMethod lookup;
    private final AbuseGuard guard;
    private final SecondFactorLockout lockout;
    private final SecondFactorAlerts alerts;
    private final ReturnUrls returnUrls;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public SecondFactorLogin(FlowStore flows, FlowViews views, SessionService sessions, SessionIssuer issuer,
                             SessionDirectory directory, TotpMethod totp, LookupSecretMethod lookup, AbuseGuard guard,
                             SecondFactorLockout lockout, SecondFactorAlerts alerts, ReturnUrls returnUrls,
                             IrisConfig config, Clock clock, MeterRegistry metrics) {
        this.flows = flows;
        this.views = views;
        this.sessions = sessions;
        this.issuer = issuer;
        this.directory = directory;
        this.totp = totp;
        this.lookup = lookup;
        this.guard = guard;
        this.lockout = lockout;
        this.alerts = alerts;
        this.returnUrls = returnUrls;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** An aal2 flow for the session holding {@code sessionToken} (401 without one; 400 when there is no need). */
    public Uni<FlowView> create(FlowType type, String requestUrl, String returnTo, String sessionToken, String owner) {
        return sessions.current(sessionToken).chain(entry -> {
            if (!entry.aal2Missing()) {
                return Uni.createFrom().failure(new ApiException(400, "session_already_available",
                        "The session already has the highest assurance level its identity allows."));
            }
            Instant now = clock.instant();
            Flow flow = Flow.forIdentity(FlowKind.LOGIN, type, now, now.plus(config.flow().lifespan()), requestUrl,
                    returnTo, owner, entry.identityId(), "aal2");
            metrics.counter("iris.flows.started", "kind", "login-aal2", "type", type.wire()).increment();
            return flows.save(flow).map(views::of);
        });
    }

    public Uni<FlowReply> submit(Flow flow, CodeSubmission body, SubmitContext context) {
        String method = body.method();
        boolean byTotp = "totp".equals(method);
        if (!byTotp && !"lookup_secret".equals(method)) {
            return reply(flow, UiText.noStrategy(FlowKind.LOGIN));
        }
        String given = byTotp ? body.totpCode() : body.lookupSecret();
        String field = byTotp ? "totp_code" : "lookup_secret";
        if (given == null || given.isBlank()) {
            return Uni.createFrom().item(new FlowReply(400, views.of(flow, List.of(), field, UiText.missing(field),
                    null)));
        }
        String token = context.sessionToken();
        String ip = context.client().limitKey();
        return sessions.current(token)
                .invoke(entry -> {
                    if (!entry.identityId().equals(flow.identityId())) {
                        throw ApiException.sessionInactive();
                    }
                })
                .call(() -> guard.admitRedeem(ip))
                .call(entry -> guard.admitSecondFactor(entry.identityId(), entry.sessionId()))
                .chain(() -> flows.countAttempt(flow))
                .chain(attempts -> attempts > config.code().maxAttempts() ? reply(flow, UiText.tooManyAttempts())
                        : attempt(flow, byTotp, given.strip(), token, ip));
    }

    /**
     * A TOTP code is first counted as a failure of the identity's escalating lockout (429 while locked), then
     * compared; any right code — TOTP, or a backup code (another factor) — clears the lockout. A wrong TOTP code
     * that starts a new lockout emails the user.
     */
    private Uni<FlowReply> attempt(Flow flow, boolean byTotp, String given, String token, String ip) {
        Uni<SecondFactorLockout.Slot> slot = byTotp ? lockout.take(flow.identityId()) : Uni.createFrom().nullItem();
        return slot.chain(taken -> check(flow, byTotp, given)
                .chain(ok -> ok ? upgraded(flow, token, byTotp ? "totp" : "lookup_secret").call(() -> cleared(flow))
                        : failed(flow, byTotp, ip, taken)));
    }

    private Uni<FlowReply> failed(Flow flow, boolean byTotp, String ip, SecondFactorLockout.Slot slot) {
        Uni<Void> alert = slot != null && slot.escalates()
                ? alerts.lockedOut(flow.identityId(), flow.id(), slot.lockout(), slot.locksUntilReset())
                : Uni.createFrom().voidItem();
        return guard.recordFailure(ip)
                .call(() -> alert)
                .chain(() -> reply(flow, byTotp ? UiText.totpInvalid() : UiText.lookupInvalid()));
    }

    /** The session is upgraded by now: a lockout that cannot be cleared only waits for its time (logged). */
    private Uni<Void> cleared(Flow flow) {
        return lockout.clear(flow.identityId())
                .onFailure().invoke(failure -> Log.warnf("Second-factor lockout not cleared for identity %s: %s",
                        flow.identityId(), failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    private Uni<Boolean> check(Flow flow, boolean byTotp, String given) {
        Uni<Boolean> verdict = byTotp ? totp.verify(flow.identityId(), given)
                : lookup.redeem(flow.identityId(), given);
        return verdict.invoke(ok -> metrics.counter("iris.second_factor", "method", byTotp ? "totp" : "lookup_secret",
                "outcome", ok ? "accepted" : "refused").increment());
    }

    /**
     * Raises the session to AAL2. A backup code used up may have been the identity's last second factor: its
     * other sessions' cached verdict ("AAL2 missing") is then stale, so they are dropped from the cache first.
     * The code is spent by now: a cache that cannot be reached must not cost the upgrade (a stale entry only
     * refuses, and only until its TTL).
     */
    private Uni<FlowReply> upgraded(Flow flow, String token, String method) {
        Uni<Void> evicted = "lookup_secret".equals(method)
                ? directory.invalidateCached(flow.identityId()).onFailure().recoverWithNull()
                : Uni.createFrom().voidItem();
        return evicted.chain(() -> sessions.upgrade(token, flow.identityId(), method))
                .call(() -> flows.save(flow.passed(clock.instant())))
                .map(upgraded -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    if (flow.type() == FlowType.API) {
                        answer.put("session_token", upgraded.token());
                    }
                    answer.put("session", issuer.view(upgraded.session(), upgraded.identity()));
                    if (flow.type() == FlowType.API) {
                        return new FlowReply(200, answer);
                    }
                    String target = returnUrls.target(flow.returnTo());
                    answer.put("continue_with", List.of(Map.of("action", "redirect_browser_to",
                            "redirect_browser_to", target)));
                    return new FlowReply(200, answer, upgraded.token(), target);
                });
    }

    private Uni<FlowReply> reply(Flow flow, UiText message) {
        return Uni.createFrom().item(new FlowReply(400, views.of(flow, List.of(message), null, null, null)));
    }
}
