package dev.iris.selfservice.login;

import dev.iris.http.CsrfTokens;
import dev.iris.http.ReturnUrls;
import dev.iris.selfservice.flow.CodeSubmission;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowExpired;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowReply;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiText;

import dev.iris.config.IrisConfig;
import dev.iris.identity.EmailAddress;
import dev.iris.identity.IdentityView;
import dev.iris.method.code.CodeMethod;
import dev.iris.method.code.Redemption;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.session.ClientInfo;
import dev.iris.session.SessionIssuer;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.RawJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The login and registration flows (both use the {@code code} method): create, fetch, and route submissions —
 * send, resend, redeem — to {@link CodeMethod}. Kind-specific bits (message ids, the address field, the success
 * body) come from {@link FlowKind}.
 */
@Singleton
public class CodeFlowService {

    private final FlowStore flows;
    private final CodeMethod code;
    private final AbuseGuard guard;
    private final CsrfTokens csrf;
    private final ReturnUrls returnUrls;
    private final SessionService sessionService;
    private final SessionIssuer sessionIssuer;
    private final FlowViews views;
    private final SecondFactorLogin secondFactor;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public CodeFlowService(FlowStore flows, CodeMethod code, AbuseGuard guard, CsrfTokens csrf, ReturnUrls returnUrls,
                           SessionService sessionService,
                           SessionIssuer sessionIssuer, FlowViews views, SecondFactorLogin secondFactor,
                           IrisConfig config, Clock clock, MeterRegistry metrics) {
        this.flows = flows;
        this.code = code;
        this.guard = guard;
        this.csrf = csrf;
        this.returnUrls = returnUrls;
        this.sessionService = sessionService;
        this.sessionIssuer = sessionIssuer;
        this.views = views;
        this.secondFactor = secondFactor;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Creates an api flow. A caller that already holds an active session must ask for {@code refresh} or
     * {@code aal=aal2} (the second-factor step of a login); otherwise 400 {@code session_already_available}.
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
        return existingSession(sessionToken, refresh).chain(() -> {
            Instant now = clock.instant();
            Flow flow = Flow.create(kind, type, now, now.plus(config.flow().lifespan()), requestUrl, returnTo,
                    refresh, owner);
            metrics.counter("iris.flows.started", "kind", kind.path(), "type", type.wire()).increment();
            return flows.save(flow).map(views::of);
        });
    }

    private Uni<Void> existingSession(String sessionToken, boolean refresh) {
        if (sessionToken == null || sessionToken.isBlank() || refresh) {
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
    public record PageFlow(Flow flow, String address, boolean owner, List<UiText> messages) {
    }

    public Uni<PageFlow> page(FlowKind kind, UUID id, String csrfCookie) {
        return live(kind, id).map(flow -> new PageFlow(flow, views.address(flow), csrf.owns(flow, csrfCookie),
                views.of(flow).allMessages()));
    }

    /** Keeps the messages of a form post's answer for the page the browser is redirected to. */
    public Uni<Void> remember(FlowKind kind, UUID id, List<UiText> messages) {
        return live(kind, id).chain(flow -> flows.save(flow.withMessages(messages))).replaceWithVoid();
    }

    public Uni<FlowReply> submit(FlowKind kind, UUID id, CodeSubmission body, SubmitContext context) {
        if (body == null) {
            return Uni.createFrom().failure(ApiException.badRequest("A JSON body is required."));
        }
        if (body.oversized()) {
            return Uni.createFrom().failure(ApiException.badRequest("A field of the request is too long."));
        }
        return live(kind, id).invoke(flow -> csrf.checkCaller(flow, context, redeemsLink(body)))
                .chain(flow -> flow.secondFactor() ? secondFactor.submit(flow, body, context)
                        : route(flow, body, context));
    }

    /** A link token (not a 6-digit code) submitted for redemption. */
    private static boolean redeemsLink(CodeSubmission body) {
        return "code".equals(body.method()) && !"code".equals(body.resend()) && !isBlank(body.code())
                && !CodeMethod.isSixDigitCode(body.code().strip());
    }

    private Uni<FlowReply> route(Flow flow, CodeSubmission body, SubmitContext context) {
        ClientInfo client = context.client();
        if (isBlank(body.method())) {
            return reply(flow, List.of(), "method", UiText.missing("method"), null);
        }
        if (!"code".equals(body.method())) {
            return reply(flow, List.of(UiText.noStrategy(flow.kind())), null, null, null);
        }
        if ("code".equals(body.resend())) {
            return send(flow, isBlank(body.address()) ? views.address(flow) : body.address(), client);
        }
        if (!isBlank(body.code())) {
            return redeem(flow, body, context);
        }
        return send(flow, body.address(), client);
    }

    private Uni<FlowReply> send(Flow flow, String rawAddress, ClientInfo client) {
        String field = flow.kind().addressField();
        if (isBlank(rawAddress)) {
            return reply(flow, List.of(), field, UiText.missing(field), null);
        }
        Optional<String> email = EmailAddress.normalise(rawAddress, config.mail().smtputf8());
        if (email.isEmpty()) {
            String shown = rawAddress.length() > 64 ? rawAddress.substring(0, 64) : rawAddress;
            return reply(flow, List.of(), field, UiText.invalidEmail(shown), null);
        }
        return guard.admitSend(flow.id(), client.limitKey(), FlowStore.attemptsKey(flow.id()), config.code().maxAttempts())
                .chain(resendAt -> resendAt.isEmpty()
                        ? reply(flow, List.of(UiText.tooManyAttempts()), null, null, views.address(flow))
                        : admittedSend(flow, email.get(), resendAt.get()));
    }

    private Uni<FlowReply> admittedSend(Flow flow, String email, Instant resendAt) {
        return guard.addressMaySend(email)
                .chain(allowed -> allowed ? code.send(flow, email, resendAt) : code.sendNothing(flow, email, resendAt))
                .map(sent -> new FlowReply(400,
                        views.of(sent, List.of(UiText.codeSent(flow.kind(), sent.resendAt())), null, null, email)));
    }

    private Uni<FlowReply> redeem(Flow flow, CodeSubmission body, SubmitContext context) {
        ClientInfo client = context.client();
        String secret = body.code().strip();
        String field = flow.kind().addressField();
        String flowAddress = views.address(flow);
        String given = isBlank(body.address()) ? null
                : EmailAddress.normalise(body.address(), config.mail().smtputf8()).orElse("");
        boolean sixDigits = CodeMethod.isSixDigitCode(secret);
        if (sixDigits && given == null) {
            return reply(flow, List.of(), field, UiText.missing(field), flowAddress);
        }
        if (flow.kind() == FlowKind.REGISTRATION && given != null && !given.equals(flowAddress)) {
            return reply(flow, List.of(UiText.traitsMismatch()), null, null, flowAddress);
        }
        // A 6-digit code works only in its own flow and, for a browser flow, only in the browser that started it.
        boolean addressOk = !sixDigits || (flowAddress != null && flowAddress.equals(given)
                && (flow.type() == FlowType.API || csrf.owns(flow, context.csrfCookie())));
        boolean withSession = flow.kind() == FlowKind.LOGIN || config.registration().sessionHook();
        String ip = client.limitKey();
        return guard.admitRedeem(ip)
                .chain(() -> code.redeem(flow, secret, addressOk, withSession, client, sixDigits ? flowAddress : null))
                .call(result -> result instanceof Redemption.Success ? Uni.createFrom().voidItem()
                        : guard.recordFailure(ip))
                .map(result -> {
            if (result instanceof Redemption.Success success) {
                return success(flow, success, flow.type() == FlowType.BROWSER || context.looksLikeBrowser());
            }
            UiText message = result instanceof Redemption.Exhausted ? UiText.tooManyAttempts()
                    : UiText.codeInvalid(flow.kind());
            return new FlowReply(400, views.of(flow, List.of(message), null, null, flowAddress));
        });
    }

    /**
     * Api flows get the token in the body; browser flows get it only as a cookie (set by the resource) and a
     * {@code continue_with} telling the SPA where to go. When the identity has a second factor (and whoami asks
     * for the highest available AAL) the new AAL1 session is not enough yet: api answers leave the identity out
     * of the session, browsers are sent on to the {@code aal=aal2} login (422
     * {@code browser_location_change_required} for SPAs, 303 for form posts). {@code browser}: a browser flow, or
     * a browser that redeemed an api flow's link.
     */
    private FlowReply success(Flow flow, Redemption.Success success, boolean browser) {
        boolean aal2Pending = success.session() != null && config.session().requiresHighestAal()
                && success.identity().hasSecondFactor();
        Map<String, Object> answer = new LinkedHashMap<>();
        if (flow.kind() == FlowKind.REGISTRATION) {
            answer.put("identity", IdentityView.of(success.identity()));
        }
        String token = success.session() == null ? null : success.session().token();
        if (token != null) {
            if (!browser) {
                answer.put("session_token", token);
            }
            answer.put("session", !aal2Pending && success.sessionJson() != null ? new RawJson(success.sessionJson())
                    : sessionIssuer.view(success.session().session(), success.identity(), !aal2Pending));
        }
        if (!browser) {
            return new FlowReply(200, answer);
        }
        String target = returnUrls.target(flow.returnTo());
        if (aal2Pending) {
            String next = config.publicUrl() + "/self-service/login/browser?aal=aal2&return_to="
                    + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8);
            Map<String, Object> error = dev.iris.http.ErrorBody.of(422, "browser_location_change_required",
                    "Complete the second authentication factor.");
            error.put("redirect_browser_to", next);
            return new FlowReply(422, error, token, next);
        }
        answer.put("continue_with", List.of(Map.of("action", "redirect_browser_to", "redirect_browser_to", target)));
        return new FlowReply(200, answer, token, target);
    }

    /** The flow if it exists, is of this kind and is not expired: 404 / 410 (with a fresh flow) otherwise. */
    private Uni<Flow> live(FlowKind kind, UUID id) {
        return flows.find(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("The requested flow could not be found."))
                .invoke(flow -> {
                    if (flow.kind() != kind) {
                        throw ApiException.notFound("The requested flow could not be found.");
                    }
                })
                .chain(flow -> flow.expiredAt(clock.instant()) ? expired(flow) : Uni.createFrom().item(flow));
    }

    /** 410 naming a fresh flow of the same kind and type, for the same browser (a browser cannot use an api flow). */
    private Uni<Flow> expired(Flow flow) {
        return create(flow.kind(), flow.type(), flow.requestUrl(), flow.returnTo(), flow.refresh(), null, null,
                flow.owner())
                .chain(fresh -> Uni.createFrom().failure(FlowExpired.of(flow, fresh.id(), clock.instant())));
    }

    private Uni<FlowReply> reply(Flow flow, List<UiText> messages, String field, UiText fieldMessage,
                                 String address) {
        return Uni.createFrom().item(new FlowReply(400, views.of(flow, messages, field, fieldMessage, address)));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
