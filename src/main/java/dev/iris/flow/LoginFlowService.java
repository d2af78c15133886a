package dev.iris.flow;

import dev.iris.config.IrisConfig;
import dev.iris.identity.EmailAddress;
import dev.iris.method.code.CodeLoginMethod;
import dev.iris.method.code.Redemption;
import dev.iris.session.ClientInfo;
import dev.iris.session.SessionIssuer;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The login flow state machine: create, fetch, and route submissions to the code method. */
@ApplicationScoped
public class LoginFlowService {

    private final FlowStore flows;
    private final CodeLoginMethod code;
    private final SessionService sessionService;
    private final SessionIssuer sessionIssuer;
    private final SecretCipher cipher;
    private final IrisConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public LoginFlowService(FlowStore flows, CodeLoginMethod code, SessionService sessionService,
                            SessionIssuer sessionIssuer, SecretCipher cipher, IrisConfig config, Clock clock,
                            MeterRegistry metrics) {
        this.flows = flows;
        this.code = code;
        this.sessionService = sessionService;
        this.sessionIssuer = sessionIssuer;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Creates an api login flow. A caller that already holds an active session must ask for {@code refresh}
     * (or, later, {@code aal=aal2}); otherwise 400 {@code session_already_available}.
     */
    public Uni<FlowView> createApi(String requestUrl, String returnTo, boolean refresh, String aal,
                                   String sessionToken) {
        if (aal != null && !aal.isBlank() && !"aal1".equals(aal)) {
            return Uni.createFrom().failure(ApiException.badRequest("Only aal=aal1 is supported by this flow."));
        }
        return existingSession(sessionToken, refresh).chain(() -> {
            Instant now = clock.instant();
            Flow flow = Flow.create(FlowKind.LOGIN, FlowType.API, now, now.plus(config.flow().lifespan()),
                    requestUrl, returnTo, refresh);
            metrics.counter("iris.flows.started", "kind", "login", "type", "api").increment();
            return flows.save(flow).map(this::view);
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
                                "A valid session was detected and thus login is not possible. "
                                        + "Did you forget to set `?refresh=true`?");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<FlowView> fetch(UUID id) {
        return live(id).map(this::view);
    }

    public Uni<FlowReply> submit(UUID id, LoginSubmission body, ClientInfo client) {
        if (body == null) {
            return Uni.createFrom().failure(ApiException.badRequest("A JSON body is required."));
        }
        if (body.oversized()) {
            return Uni.createFrom().failure(ApiException.badRequest("A field of the request is too long."));
        }
        return live(id).chain(flow -> route(flow, body, client));
    }

    private Uni<FlowReply> route(Flow flow, LoginSubmission body, ClientInfo client) {
        if (flow.type() != FlowType.API) {
            return Uni.createFrom().failure(ApiException.badRequest("This flow must be submitted by a browser."));
        }
        if (isBlank(body.method())) {
            return reply(flow, List.of(), "method", UiText.missing("method"), null);
        }
        if (!"code".equals(body.method())) {
            return reply(flow, List.of(new UiText(4010001, "error",
                    "Could not find a strategy to log you in with. Did you fill out the form correctly?", null)),
                    null, null, null);
        }
        if ("code".equals(body.resend())) {
            return send(flow, firstNonBlank(body.identifier(), openIdentifier(flow)));
        }
        if (!isBlank(body.code())) {
            return redeem(flow, body, client);
        }
        return send(flow, body.identifier());
    }

    private Uni<FlowReply> send(Flow flow, String rawIdentifier) {
        if (isBlank(rawIdentifier)) {
            return reply(flow, List.of(), "identifier", UiText.missing("identifier"), null);
        }
        Optional<String> email = EmailAddress.normalise(rawIdentifier);
        if (email.isEmpty()) {
            String shown = rawIdentifier.length() > 64 ? rawIdentifier.substring(0, 64) : rawIdentifier;
            return reply(flow, List.of(), "identifier", UiText.invalidEmail(shown), null);
        }
        return flows.attempts(flow).chain(attempts -> attempts >= config.code().maxAttempts()
                ? reply(flow, List.of(UiText.tooManyAttempts()), null, null, openIdentifier(flow))
                : code.send(flow, email.get()).map(sent ->
                new FlowReply(400, view(sent, List.of(UiText.codeSent(null)), null, null, email.get()))));
    }

    private Uni<FlowReply> redeem(Flow flow, LoginSubmission body, ClientInfo client) {
        String secret = body.code().strip();
        String identifier = null;
        if (CodeLoginMethod.isSixDigitCode(secret)) {
            if (isBlank(body.identifier())) {
                return reply(flow, List.of(), "identifier", UiText.missing("identifier"), openIdentifier(flow));
            }
            identifier = EmailAddress.normalise(body.identifier()).orElse("");
        }
        return code.redeem(flow, secret, identifier, client).map(result -> {
            if (result instanceof Redemption.Success success) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("session_token", success.session().token());
                answer.put("session", sessionIssuer.view(success.session().session(), success.session().identity()));
                return new FlowReply(200, answer);
            }
            UiText message = result instanceof Redemption.Exhausted ? UiText.tooManyAttempts()
                    : UiText.loginCodeInvalid();
            return new FlowReply(400, view(flow, List.of(message), null, null, openIdentifier(flow)));
        });
    }

    /** The flow if it exists and is not expired: 404 / 410 (with a fresh flow to use) otherwise. */
    private Uni<Flow> live(UUID id) {
        return flows.find(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("The requested flow could not be found."))
                .chain(flow -> flow.expiredAt(clock.instant()) ? expired(flow) : Uni.createFrom().item(flow));
    }

    private Uni<Flow> expired(Flow flow) {
        return createApi(flow.requestUrl(), flow.returnTo(), flow.refresh(), null, null)
                .chain(fresh -> Uni.createFrom().failure(new ApiException(410, "self_service_flow_expired",
                        "The self-service flow expired, please retry the flow.")
                        .with("use_flow_id", fresh.id())
                        .with("expired_at", flow.expiresAt())
                        .with("since", java.time.Duration.between(flow.expiresAt(), clock.instant()).toNanos())));
    }

    private Uni<FlowReply> reply(Flow flow, List<UiText> messages, String field, UiText fieldMessage,
                                 String identifier) {
        return Uni.createFrom().item(new FlowReply(400, view(flow, messages, field, fieldMessage, identifier)));
    }

    private FlowView view(Flow flow) {
        return view(flow, List.of(), null, null, openIdentifier(flow));
    }

    private FlowView view(Flow flow, List<UiText> messages, String field, UiText fieldMessage, String identifier) {
        List<UiNode> nodes = LoginUi.nodes(flow, identifier);
        if (field != null) {
            LoginUi.withFieldMessage(nodes, field, fieldMessage);
        }
        return FlowView.of(flow, config.publicUrl(), messages, nodes);
    }

    private String openIdentifier(Flow flow) {
        return flow.sealedIdentifier() == null ? null : cipher.openText(flow.sealedIdentifier());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String firstNonBlank(String a, String b) {
        return isBlank(a) ? b : a;
    }
}
