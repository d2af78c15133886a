package dev.iris.selfservice.login;

import dev.iris.config.IrisConfig;
import dev.iris.http.ReturnUrls;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionIssuer;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The second step of a login ({@code aal=aal2}): a signed-in AAL1 session proves a second factor — any
 * {@link SecondFactorMethod}, found by the {@code method} submitted — and <em>the same session</em> becomes AAL2
 * under a new token (api clients get it as {@code session_token}, browsers as a new session cookie; the AAL1 token
 * stops working at once). The generic checks are all here, in one pipeline, before the method compares anything:
 * the session must be the flow's, attempts per identity and per session (429), failures per client IP, and the
 * flow's attempt counter. A right secret of any method clears the TOTP lockout ({@link SecondFactorLockout}).
 */
@Singleton
public class SecondFactorLogin {

    private final FlowStore flows;
    private final FlowViews views;
    private final List<SecondFactorMethod> methods;
    private final SessionService sessions;
    private final SessionIssuer issuer;
    private final SessionDirectory directory;
    private final AbuseGuard guard;
    private final SecondFactorLockout lockout;
    private final ReturnUrls returnUrls;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public SecondFactorLogin(FlowStore flows, FlowViews views, @All List<SecondFactorMethod> methods,
                             SessionService sessions, SessionIssuer issuer, SessionDirectory directory,
                             AbuseGuard guard, SecondFactorLockout lockout, ReturnUrls returnUrls, IrisConfig config,
                             Clock clock, MeterRegistry metrics) {
        this.flows = flows;
        this.views = views;
        this.methods = methods.stream().sorted(Comparator.comparingInt(SecondFactorMethod::position)).toList();
        this.sessions = sessions;
        this.issuer = issuer;
        this.directory = directory;
        this.guard = guard;
        this.lockout = lockout;
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
            return prepared(entry.identityId()).map(flow::offering).chain(flows::save).map(views::of);
        });
    }

    /** What each method keeps in the new flow for its nodes (method id → its value), asked one after the other. */
    private Uni<Map<String, String>> prepared(UUID identityId) {
        Uni<Map<String, String>> kept = Uni.createFrom().item(LinkedHashMap::new);
        for (SecondFactorMethod method : methods) {
            kept = kept.chain(all -> method.prepare(identityId).map(value -> {
                if (value != null) {
                    all.put(method.id(), value);
                }
                return all;
            }));
        }
        return kept;
    }

    public Uni<FlowResult> submit(Flow flow, Submission submission, SubmitContext context) {
        SecondFactorMethod method = methods.stream().filter(candidate -> submission.method() != null
                        ? candidate.id().equals(submission.method()) : candidate.claims(submission))
                .findFirst().orElse(null);
        if (method == null) {
            return form(flow, List.of(FlowKind.LOGIN.noStrategy()), null, null);
        }
        String given = method.given(submission);
        if (given == null) {
            return form(flow, List.of(), method.field(), UiText.missing(method.field()));
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
                .chain(attempts -> attempts > config.code().maxAttempts()
                        ? form(flow, List.of(UiText.tooManyAttempts()), null, null)
                        : attempt(flow, method, given.strip(), token, ip));
    }

    private Uni<FlowResult> attempt(Flow flow, SecondFactorMethod method, String given, String token, String ip) {
        return method.verify(flow, given)
                .invoke(verdict -> metrics.counter("iris.second_factor", "method", method.id(), "outcome",
                        verdict instanceof SecondFactorMethod.Verdict.Accepted ? "accepted" : "refused").increment())
                .chain(verdict -> verdict instanceof SecondFactorMethod.Verdict.Accepted accepted
                        ? upgraded(flow, token, method.id(), accepted.factorsChanged()).call(() -> cleared(flow))
                        : guard.recordFailure(ip).chain(() -> form(flow,
                        List.of(((SecondFactorMethod.Verdict.Refused) verdict).message()), null, null)));
    }

    /** The session is upgraded by now: a lockout that cannot be cleared only waits for its time (logged). */
    private Uni<Void> cleared(Flow flow) {
        return lockout.clear(flow.identityId())
                .onFailure().invoke(failure -> Log.warnf("Second-factor lockout not cleared for identity %s: %s",
                        flow.identityId(), failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /**
     * Raises the session to AAL2. A factor used up (the last backup code) may change what the identity has: its
     * other sessions' cached verdict ("AAL2 missing") is then stale, so they are dropped from the cache first.
     * The secret is spent by now: a cache that cannot be reached must not cost the upgrade (a stale entry only
     * refuses, and only until its TTL).
     */
    private Uni<FlowResult> upgraded(Flow flow, String token, String method, boolean factorsChanged) {
        Uni<Void> evicted = factorsChanged
                ? directory.invalidateCached(flow.identityId()).onFailure().recoverWithNull()
                : Uni.createFrom().voidItem();
        return evicted.chain(() -> sessions.upgrade(token, flow.identityId(), method))
                .invoke(() -> Log.infof("audit login.succeeded method=%s aal=aal2 identity=%s", method,
                        flow.identityId()))
                .call(() -> flows.save(flow.passed(clock.instant())))
                .map(upgraded -> new FlowResult.Success(upgraded.token(),
                        issuer.view(upgraded.session(), upgraded.identity()), null,
                        flow.type() == FlowType.API ? null : returnUrls.target(flow.returnTo())));
    }

    /** The prompt again; a browser's form post is answered by a redirect, so the page shows these messages. */
    private Uni<FlowResult> form(Flow flow, List<UiText> messages, String field, UiText fieldMessage) {
        return Uni.createFrom().item(new FlowResult.Form(views.of(flow, messages, field, fieldMessage, null)));
    }
}
