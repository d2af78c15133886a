package dev.iris.selfservice.login;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.http.ReturnUrls;
import dev.iris.identity.IdentityView;
import dev.iris.selfservice.flow.FirstFactorMethod;
import dev.iris.selfservice.flow.FlowCompletion;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionIssuer;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.RawJson;
import dev.iris.support.SelfServiceUrls;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The flows a first-factor method drives: login and registration (Kratos's {@code selfservice/flow/login} and
 * {@code …/registration}), and recovery and verification, which prove an address the same way: create, fetch, and
 * submit — a submission goes to the method it names ({@link FirstFactorMethod}, found by id, if it plugs into the
 * flow's kind), and this service applies the method's {@link Outcome}: it alone moves the flow through its states
 * and saves it. A passed recovery or verification is finished by its {@link FlowCompletion}; the {@code aal=aal2}
 * step of a login is {@link SecondFactorLogin}'s.
 */
@Singleton
public class FirstFactorFlowService {

    private final FlowStore flows;
    private final FlowViews views;
    private final Map<String, FirstFactorMethod> methods;
    private final CsrfTokens csrf;
    private final ReturnUrls returnUrls;
    private final SelfServiceUrls urls;
    private final SessionService sessionService;
    private final SessionIssuer sessionIssuer;
    private final SecondFactorLogin secondFactor;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<FlowKind, FlowCompletion> completions;

    public FirstFactorFlowService(FlowStore flows, FlowViews views, @All List<FirstFactorMethod> methods,
                                  @All List<FlowCompletion> completions,
                                  CsrfTokens csrf, ReturnUrls returnUrls, SelfServiceUrls urls,
                                  SessionService sessionService, SessionIssuer sessionIssuer,
                                  SecondFactorLogin secondFactor, IrisConfig config, Clock clock,
                                  MeterRegistry metrics) {
        this.flows = flows;
        this.views = views;
        this.methods = methods.stream().collect(Collectors.toUnmodifiableMap(FirstFactorMethod::id,
                Function.identity()));
        this.csrf = csrf;
        this.returnUrls = returnUrls;
        this.urls = urls;
        this.sessionService = sessionService;
        this.sessionIssuer = sessionIssuer;
        this.secondFactor = secondFactor;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.completions = completions.stream().collect(Collectors.toUnmodifiableMap(FlowCompletion::kind,
                Function.identity()));
    }

    /**
     * Creates an api flow. A caller that already holds an active session must ask for {@code refresh} or
     * {@code aal=aal2} (the second-factor step of a login); otherwise 400 {@code session_already_available} — except
     * for verification, which a signed-in user may start (as in Kratos).
     */
    public Uni<FlowView> createApi(FlowKind kind, String requestUrl, String returnTo, boolean refresh, String aal,
                                   String sessionToken) {
        return create(kind, FlowType.API, requestUrl, returnUrls.check(returnTo), refresh, aal, sessionToken, null);
    }

    /**
     * Creates a browser flow owned by the browser holding {@code csrfCookie}. For both kinds, as in Kratos,
     * {@code return_to} must be allowed (400 {@code self_service_flow_return_to_forbidden} otherwise).
     */
    public Uni<FlowView> createBrowser(FlowKind kind, String requestUrl, String returnTo, boolean refresh,
                                       String aal, String sessionToken, String csrfCookie) {
        return create(kind, FlowType.BROWSER, requestUrl, returnUrls.check(returnTo), refresh, aal, sessionToken,
                csrf.ownerMark(csrfCookie));
    }

    private Uni<FlowView> create(FlowKind kind, FlowType type, String requestUrl, String returnTo, boolean refresh,
                                 String aal, String sessionToken, String owner) {
        if (kind == FlowKind.LOGIN && "aal2".equals(aal)) {
            return secondFactor.create(type, requestUrl, returnTo, sessionToken, owner);
        }
        if (aal != null && !aal.isBlank() && !"aal1".equals(aal)) {
            return Uni.createFrom().failure(ApiException.badRequest("aal must be aal1 or aal2 (login only)."));
        }
        return existingSession(kind, sessionToken, refresh).chain(() -> saveNew(kind, type, requestUrl, returnTo, refresh,
                owner, null)).map(views::of);
    }

    /** A new flow, saved; {@code messages}: what it shows first (null: nothing). */
    private Uni<Flow> saveNew(FlowKind kind, FlowType type, String requestUrl, String returnTo, boolean refresh,
                              String owner, List<UiText> messages) {
        Instant now = clock.instant();
        Flow flow = Flow.create(kind, type, now, now.plus(config.flow().lifespan()), requestUrl, returnTo, refresh,
                owner).withMessages(messages);
        metrics.counter("iris.flows.started", "kind", kind.path(), "type", type.wire()).increment();
        return flows.save(flow);
    }

    private Uni<Void> existingSession(FlowKind kind, String sessionToken, boolean refresh) {
        if (sessionToken == null || sessionToken.isBlank() || refresh || kind == FlowKind.VERIFICATION) {
            return Uni.createFrom().voidItem();
        }
        return sessionService.whoami(sessionToken)
                .onFailure(ApiException.class).recoverWithNull()
                .invoke(entry -> {
                    if (entry != null) {
                        throw new ApiException(400, "session_already_available",
                                "A valid session was detected and thus this flow is not possible. "
                                        + "Did you forget to set `?refresh=true`?");
                    }
                })
                .replaceWithVoid();
    }

    /** A browser flow is only shown to the browser that owns it (403 {@code security_csrf_violation}). */
    public Uni<FlowView> fetch(FlowKind kind, UUID id, String csrfCookie) {
        return live(kind, id).invoke(flow -> {
            if (flow.type() == FlowType.BROWSER && !csrf.owns(flow, csrfCookie)) {
                throw CsrfTokens.violation();
            }
        }).map(views::of);
    }

    /** What the built-in pages need to render a flow (no ownership check: pages reveal only masked data). */
    public record PageFlow(Flow flow, String address, boolean owner, List<UiText> messages, FlowView view) {
    }

    public Uni<PageFlow> page(FlowKind kind, UUID id, String csrfCookie) {
        return live(kind, id).map(flow -> {
            FlowView view = views.of(flow);
            return new PageFlow(flow, views.address(flow), csrf.owns(flow, csrfCookie), view.allMessages(), view);
        });
    }

    /**
     * Routes a submission: the caller checked (api flows refuse browsers, browser flows need their CSRF pair), then
     * the second-factor step or the first-factor method named. A browser's form post is answered by a redirect to
     * the flow's page, so the flow keeps the answer's messages for it — also a rate limit's wait (the 429 still
     * fails the call; {@code FlowAnswers} sends the browser to the page).
     */
    public Uni<FlowResult> submit(FlowKind kind, UUID id, Submission body, SubmitContext context) {
        return Uni.createFrom().item(() -> Submission.checked(body))
                .chain(submission -> live(kind, id).map(flow -> flow.speaking(context.client().language()))
                        // Recovery is for those who cannot sign in: a signed-in caller is refused, as in Kratos.
                        .call(flow -> kind == FlowKind.RECOVERY ? existingSession(kind, context.sessionToken(), false)
                                : Uni.createFrom().voidItem())
                        .chain(flow -> {
                    FirstFactorMethod method = methodFor(kind, submission);
                    csrf.checkCaller(flow, context, method != null && method.crossDevice(submission));
                    SubmitContext caller = context.inBrowserThatStarted(csrf.owns(flow, context.csrfCookie()));
                    return flow.secondFactor() ? secondFactor.submit(flow, submission, caller)
                            : route(flow, method, submission, caller);
                        }))
                .chain(result -> context.formPost() && shown(result) != null
                        && (shown(result).type() == FlowType.BROWSER || context.looksLikeBrowser())
                        ? remember(kind, id, shown(result).allMessages()).map(view -> sameStatus(result, view))
                        : Uni.createFrom().item(result))
                .onFailure(failure -> context.formPost() && failure instanceof ApiException refused
                        && refused.status() == 429)
                .call(failure -> remember(kind, id, List.of(UiText.retryAfter(
                        ((ApiException) failure).extra().getOrDefault("retry_after_seconds", "a few")))));
    }

    /** The flow a result shows (a form, or an updated flow), or null. */
    private static FlowView shown(FlowResult result) {
        return result instanceof FlowResult.Form form ? form.view()
                : result instanceof FlowResult.Updated updated ? updated.view() : null;
    }

    private static FlowResult sameStatus(FlowResult result, FlowView view) {
        return result instanceof FlowResult.Updated ? new FlowResult.Updated(view) : new FlowResult.Form(view);
    }

    /**
     * Recovery and verification answer a sent code and a code that did not work with 200 and the flow, as Kratos
     * does; a form to correct (an address missing or malformed) is 400 in every flow, as login and registration
     * answer every step short of success.
     */
    private static FlowResult shownAs(Flow flow, FlowView view, boolean needsCorrection) {
        boolean proofFlow = flow.kind() == FlowKind.RECOVERY || flow.kind() == FlowKind.VERIFICATION;
        return proofFlow && !needsCorrection ? new FlowResult.Updated(view) : new FlowResult.Form(view);
    }

    /**
     * The method the submission names, if it plugs into flows of {@code kind}; without a name, the one that claims the
     * submission (a passkey assertion posted by {@code webauthn.js}); else null.
     */
    private FirstFactorMethod methodFor(FlowKind kind, Submission submission) {
        String id = submission.method();
        FirstFactorMethod method = id == null || id.isBlank() ? methods.values().stream()
                .filter(candidate -> candidate.supports(kind) && candidate.claims(submission)).findFirst()
                .orElse(null) : methods.get(id);
        return method != null && method.supports(kind) ? method : null;
    }

    private Uni<FlowResult> route(Flow flow, FirstFactorMethod method, Submission submission, SubmitContext context) {
        if ((submission.method() == null || submission.method().isBlank()) && method == null) {
            return form(flow, Outcome.Shown.onField("method", UiText.missing("method"), null));
        }
        if (method == null) {
            UiText noStrategy = flow.kind().noStrategy();
            return Uni.createFrom().item(new FlowResult.Form(views.of(flow, List.of(noStrategy), (String) null, null,
                    null)));
        }
        return method.submit(flow, submission, context)
                .chain(outcome -> apply(flow, method, outcome, submission, context));
    }

    /** The one place a method's outcome moves the flow on. */
    private Uni<FlowResult> apply(Flow flow, FirstFactorMethod method, Outcome outcome, Submission submission,
                                  SubmitContext context) {
        if (outcome instanceof Outcome.Shown shown) {
            return form(flow, shown);
        }
        if (outcome instanceof Outcome.Handover handover) {
            FirstFactorMethod next = methods.get(handover.next());
            Flow kept = flow.keeping(method.id(), handover.pending());
            return next.submit(kept, handover.submission(), context)
                    .chain(then -> apply(kept, next, then, handover.submission(), context));
        }
        if (outcome instanceof Outcome.EmailSent sent) {
            Flow next = flow.sentEmail(method.id(), sent.sealedAddress(), clock.instant(), sent.resendAt());
            return flows.save(next)
                    .call(() -> sent.delivery().onFailure().call(() -> flows.save(flow).onFailure().recoverWithNull()))
                    .map(saved -> shownAs(saved, views.of(saved), false));
        }
        Outcome.Passed passed = (Outcome.Passed) outcome;
        FlowCompletion completion = completions.get(flow.kind());
        Uni<Void> stored = Uni.createFrom().voidItem();
        for (FirstFactorMethod each : methods.values()) {
            if (each.supports(flow.kind())) {
                stored = stored.chain(() -> each.passed(flow, passed, submission, context));
            }
        }
        return stored.chain(() -> flows.save(flow.passed(clock.instant()))).chain(saved -> completion != null
                ? completion.complete(saved, passed, context)
                : Uni.createFrom().item(success(flow, passed, context)));
    }

    private Uni<FlowResult> form(Flow flow, Outcome.Shown shown) {
        return Uni.createFrom().item(shownAs(flow, views.of(flow, shown.messages(), shown.field(),
                shown.fieldMessage(), shown.address()), shown.field() != null));
    }

    /** Keeps {@code messages} in the flow as it is now, for the page a form post is redirected to. */
    private Uni<FlowView> remember(FlowKind kind, UUID id, List<UiText> messages) {
        return live(kind, id).chain(flow -> flows.save(flow.withMessages(messages))).map(views::of);
    }

    /**
     * Api flows get the token in the body; browser flows get it only as a cookie and a {@code continue_with} telling
     * the SPA where to go. When the identity has a second factor (and whoami asks for the highest available AAL)
     * the new AAL1 session is not enough yet: api answers leave the identity out of the session, browsers are sent
     * on to the {@code aal=aal2} login. Browser: a browser flow, or a browser that redeemed an api flow's link.
     */
    private FlowResult success(Flow flow, Outcome.Passed passed, SubmitContext context) {
        boolean browser = flow.type() == FlowType.BROWSER || context.looksLikeBrowser();
        boolean aal2Pending = passed.session() != null && "aal1".equals(passed.session().session().aal)
                && config.session().requiresHighestAal() && passed.identity().hasSecondFactor();
        String token = passed.session() == null ? null : passed.session().token();
        String target = returnUrls.target(flow.returnTo());
        if (browser && aal2Pending) {
            return new FlowResult.BrowserLocationChange(token, urls.secondFactorLogin(target));
        }
        Object identity = flow.kind() == FlowKind.REGISTRATION ? IdentityView.of(passed.identity()) : null;
        Object session = token == null ? null : !aal2Pending && passed.sessionJson() != null
                ? new RawJson(passed.sessionJson())
                : sessionIssuer.view(passed.session().session(), passed.identity(), !aal2Pending);
        return new FlowResult.Success(token, session, identity, browser ? target : null);
    }

    /**
     * The flow if it exists, is of this kind and is not expired: 404 / 410 otherwise, naming a fresh flow that says
     * the old one expired (as Kratos's replacement flow does).
     */
    private Uni<Flow> live(FlowKind kind, UUID id) {
        return flows.live(id, flow -> flow.kind() == kind, expired -> saveNew(expired.kind(), expired.type(),
                expired.requestUrl(), expired.returnTo(), expired.refresh(), expired.owner(),
                List.of(kind.expired(expired.expiresAt(), clock.instant()))));
    }
}
