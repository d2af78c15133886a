package dev.iris.selfservice.settings;

import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowExpired;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowReply;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.FlowUi;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;

import dev.iris.config.IrisConfig;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.identity.IdentityView;
import dev.iris.method.lookupsecret.LookupSecretMethod;
import dev.iris.method.totp.TotpMethod;
import dev.iris.session.AuthSession;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionRepository;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The settings flow: a signed-in user links or unlinks an authenticator app and manages backup codes. Every
 * call needs the session (at the identity's highest available AAL); creating and submitting also need a recent
 * sign-in ({@code iris.settings.privileged-max-age}, else 403 {@code session_refresh_required}). Secrets on show
 * but not confirmed stay sealed in the flow; nothing is stored until the user proves or confirms it.
 */
@Singleton
public class SettingsFlowService {

    private final FlowStore flows;
    private final SessionService sessions;
    private final SessionRepository sessionRows;
    private final SessionDirectory directory;
    private final IdentityRepository identities;
    private final TotpMethod totp;
    private final LookupSecretMethod lookup;
    private final CsrfTokens csrf;
    private final IrisConfig config;
    private final Clock clock;

    public SettingsFlowService(FlowStore flows, SessionService sessions, SessionRepository sessionRows,
                               SessionDirectory directory, IdentityRepository identities, TotpMethod totp,
                               LookupSecretMethod lookup, CsrfTokens csrf, IrisConfig config, Clock clock) {
        this.flows = flows;
        this.sessions = sessions;
        this.sessionRows = sessionRows;
        this.directory = directory;
        this.identities = identities;
        this.totp = totp;
        this.lookup = lookup;
        this.csrf = csrf;
        this.config = config;
        this.clock = clock;
    }

    /** The caller's session row and identity, once whoami accepts the token. */
    private record Caller(AuthSession session, Identity identity) {
    }

    public Uni<FlowView> create(FlowType type, String requestUrl, String sessionToken, String csrfCookie) {
        return caller(sessionToken, true).chain(caller -> opened(caller, type, requestUrl, csrf.ownerMark(csrfCookie))
                .chain(saved -> render(saved, caller.identity(), List.of(), null, null)));
    }

    /** A new settings flow of the caller, saved; an authenticator is offered while none is linked. */
    private Uni<Flow> opened(Caller caller, FlowType type, String requestUrl, String owner) {
        Instant now = clock.instant();
        Flow flow = Flow.forIdentity(FlowKind.SETTINGS, type, now, now.plus(config.flow().lifespan()), requestUrl,
                null, owner, caller.identity().id, "aal1");
        return totp.enrolled(caller.identity().id)
                .map(enrolled -> enrolled ? flow : flow.withPending(null, totp.newSealedSecret(), null, now))
                .chain(flows::save);
    }

    /** A browser flow is shown only to its own browser; every flow only to its own identity. */
    public Uni<FlowView> fetch(UUID id, String sessionToken, String csrfCookie) {
        return caller(sessionToken, false).chain(caller -> live(id, caller).invoke(flow -> {
            if (flow.type() == FlowType.BROWSER && !csrf.owns(flow, csrfCookie)) {
                throw CsrfTokens.violation();
            }
        }).chain(flow -> render(flow, caller.identity(), flow.messages() == null ? List.of() : flow.messages(),
                null, null)));
    }

    public Uni<FlowReply> submit(UUID id, SettingsSubmission body, SubmitContext context) {
        if (body == null) {
            return Uni.createFrom().failure(ApiException.badRequest("A JSON body is required."));
        }
        if (body.oversized()) {
            return Uni.createFrom().failure(ApiException.badRequest("A field of the request is too long."));
        }
        return caller(context.sessionToken(), true).chain(caller -> live(id, caller)
                .invoke(flow -> csrf.checkCaller(flow, context))
                .chain(flow -> route(flow, body, caller, context.sessionToken())));
    }

    private Uni<FlowReply> route(Flow flow, SettingsSubmission body, Caller caller, String token) {
        UUID identityId = caller.identity().id;
        if ("totp".equals(body.method()) && body.unlink()) {
            return totp.unlink(identityId).chain(() -> changed(flow, caller, token, null, totp.newSealedSecret()));
        }
        if ("totp".equals(body.method())) {
            if (flow.sealedTotp() == null) {
                return answer(400, flow, caller, UiText.noStrategy(FlowKind.SETTINGS), null, null);
            }
            if (body.totpCode() == null || body.totpCode().isBlank()) {
                return answer(400, flow, caller, null, "totp_code", UiText.missing("totp_code"));
            }
            return totp.enrol(identityId, flow.sealedTotp(), body.totpCode().strip()).chain(ok -> ok
                    ? changed(flow, caller, token, "totp", null)
                    : answer(400, flow, caller, null, "totp_code", UiText.totpInvalid()));
        }
        if ("lookup_secret".equals(body.method()) && body.regenerate()) {
            Flow showing = flow.withPending("lookup_secret", flow.sealedTotp(), lookup.newSealedSet(), clock.instant());
            return flows.save(showing).chain(saved -> answer(200, saved, caller, null, null, null));
        }
        if ("lookup_secret".equals(body.method()) && body.confirm() && flow.sealedLookup() != null) {
            return lookup.replace(identityId, flow.sealedLookup())
                    .chain(() -> changed(flow, caller, token, "lookup_secret", flow.sealedTotp()));
        }
        if ("lookup_secret".equals(body.method()) && body.disable()) {
            return lookup.disable(identityId).chain(() -> changed(flow, caller, token, null, flow.sealedTotp()));
        }
        return answer(400, flow, caller, UiText.noStrategy(FlowKind.SETTINGS), null, null);
    }

    /**
     * After a second factor changed: cached sessions of the identity are dropped (their AAL verdict changed); a
     * factor just proven or set up by this AAL1 session raises it to AAL2 ({@code upgradeWith}); the flow shows
     * success with {@code pendingTotp} as the next enrolment offer (null once an authenticator is linked).
     */
    private Uni<FlowReply> changed(Flow flow, Caller caller, String token, String upgradeWith, String pendingTotp) {
        Instant now = clock.instant();
        Flow done = flow.withPending(flow.active(), pendingTotp, null, now).passed(now)
                .withMessages(List.of(UiText.settingsSaved()));
        Uni<?> upgrade = upgradeWith != null && "aal1".equals(caller.session().aal)
                ? sessions.raise(token, caller.identity().id, upgradeWith) : Uni.createFrom().voidItem();
        return directory.invalidateCached(caller.identity().id)
                .chain(() -> upgrade)
                .chain(() -> flows.save(done))
                .chain(saved -> answer(200, saved, caller, null, null, null));
    }

    private Uni<FlowReply> answer(int status, Flow flow, Caller caller, UiText message, String field,
                                  UiText fieldMessage) {
        List<UiText> messages = message != null ? List.of(message)
                : flow.messages() != null ? flow.messages() : List.of();
        return render(flow, caller.identity(), messages, field, fieldMessage)
                .call(view -> status == 400 && flow.type() == FlowType.BROWSER // the page shows them after a 303
                        ? flows.save(flow.withMessages(view.allMessages())) : Uni.createFrom().voidItem())
                .map(view -> new FlowReply(status, view));
    }

    private Uni<FlowView> render(Flow flow, Identity identity, List<UiText> messages, String field,
                                 UiText fieldMessage) {
        return lookup.unusedCount(identity.id).map(unused -> {
            List<UiNode> nodes = SettingsUi.nodes(
                    flow.sealedTotp() == null ? null : totp.enrolment(flow.sealedTotp(), identity.email),
                    flow.sealedLookup() == null ? null : lookup.open(flow.sealedLookup()), unused);
            if (field != null) {
                FlowUi.withFieldMessage(nodes, field, fieldMessage);
            }
            return FlowView.of(flow, config.publicUrl(), messages, nodes).withIdentity(IdentityView.of(identity));
        });
    }

    private Uni<Flow> live(UUID id, Caller caller) {
        return flows.find(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("The requested flow could not be found."))
                .invoke(flow -> {
                    if (flow.kind() != FlowKind.SETTINGS || !caller.identity().id.equals(flow.identityId())) {
                        throw ApiException.notFound("The requested flow could not be found.");
                    }
                })
                .chain(flow -> flow.expiredAt(clock.instant()) ? expired(flow, caller) : Uni.createFrom().item(flow));
    }

    /** 410 naming a fresh flow for the same caller, browser and page (as login and registration do). */
    private Uni<Flow> expired(Flow flow, Caller caller) {
        return opened(caller, flow.type(), flow.requestUrl(), flow.owner())
                .chain(fresh -> Uni.createFrom().failure(FlowExpired.of(flow, fresh.id(), clock.instant())));
    }

    /** whoami (so AAL2 is enforced as configured), then the session row; {@code privileged}: a recent sign-in. */
    private Uni<Caller> caller(String sessionToken, boolean privileged) {
        return sessions.whoami(sessionToken)
                .chain(entry -> Panache.withSession(() -> sessionRows.findById(entry.sessionId())
                        .onItem().ifNull().failWith(ApiException::sessionInactive)
                        .chain(session -> identities.findById(entry.identityId())
                                .onItem().ifNull().failWith(ApiException::sessionInactive)
                                .map(identity -> new Caller(session, identity)))))
                .invoke(caller -> {
                    if (privileged && caller.session().authenticatedAt
                            .plus(config.settings().privilegedMaxAge()).isBefore(clock.instant())) {
                        throw refreshRequired();
                    }
                });
    }

    private ApiException refreshRequired() {
        String back = URLEncoder.encode(config.uiBaseUrl() + "/settings", StandardCharsets.UTF_8);
        return new ApiException(403, "session_refresh_required",
                "The login session is too old and thus not allowed to update these fields. Please re-authenticate.")
                .with("redirect_browser_to", config.publicUrl() + "/self-service/login/browser?refresh=true&return_to="
                        + back);
    }
}
