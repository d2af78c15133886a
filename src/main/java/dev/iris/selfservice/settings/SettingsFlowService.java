package dev.iris.selfservice.settings;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.identity.IdentityView;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.FlowViews;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.AuthSession;
import dev.iris.session.SessionDirectory;
import dev.iris.session.SessionRepository;
import dev.iris.session.SessionService;
import dev.iris.support.ApiException;
import dev.iris.support.SelfServiceUrls;
import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The settings flow (Kratos's {@code selfservice/flow/settings}): a signed-in user manages the methods that plug
 * into it ({@link SettingsMethod}: an authenticator app, backup codes). Every call needs the session (at the
 * identity's highest available AAL); creating and submitting also need a recent sign-in
 * ({@code iris.settings.privileged-max-age}, else 403 {@code session_refresh_required}). What a method shows but has
 * not stored stays sealed in the flow; this service alone saves the flow.
 */
@Singleton
public class SettingsFlowService {

    private final FlowStore flows;
    private final FlowViews views;
    private final List<SettingsMethod> methods;
    private final SessionService sessions;
    private final SessionRepository sessionRows;
    private final SessionDirectory directory;
    private final IdentityRepository identities;
    private final CsrfTokens csrf;
    private final SelfServiceUrls urls;
    private final IrisConfig config;
    private final Clock clock;

    public SettingsFlowService(FlowStore flows, FlowViews views, @All List<SettingsMethod> methods,
                               SessionService sessions, SessionRepository sessionRows, SessionDirectory directory,
                               IdentityRepository identities, CsrfTokens csrf, SelfServiceUrls urls,
                               IrisConfig config, Clock clock) {
        this.flows = flows;
        this.views = views;
        this.methods = methods.stream().sorted(Comparator.comparingInt(SettingsMethod::position)).toList();
        this.sessions = sessions;
        this.sessionRows = sessionRows;
        this.directory = directory;
        this.identities = identities;
        this.csrf = csrf;
        this.urls = urls;
        this.config = config;
        this.clock = clock;
    }

    /** The caller's session row and identity, once whoami accepts the token. */
    private record Caller(AuthSession session, Identity identity) {
    }

    public Uni<FlowView> create(FlowType type, String requestUrl, String sessionToken, String csrfCookie) {
        String owner = csrf.ownerMark(csrfCookie);
        return caller(sessionToken, true).chain(caller -> opened(caller, type, requestUrl, owner, null, null)
                .chain(saved -> render(saved, caller.identity(), List.of(), null, null)));
    }

    /**
     * The settings flow a recovery opens for the identity it just signed in (Kratos's behaviour: the user goes on to
     * settings with a privileged session), saying so (1060001); {@code returnTo}: the recovery flow's.
     */
    public Uni<Flow> afterRecovery(Identity identity, AuthSession session, FlowType type, String owner,
                                   String returnTo) {
        Instant privilegedUntil = session.authenticatedAt.plus(config.settings().privilegedMaxAge());
        UiText recovered = new UiText(1060001, "success", String.format(Locale.ROOT, "You successfully recovered "
                + "your account. Please review your sign-in methods and settings within the next %.2f minutes.",
                config.settings().privilegedMaxAge().toMillis() / 60_000.0),
                Map.of("privileged_session_expires_at", privilegedUntil.toString(),
                        "privilegedSessionExpiresAt", privilegedUntil.toString(),
                        "privileged_session_expires_at_unix", privilegedUntil.getEpochSecond()));
        return opened(new Caller(session, identity), type, config.publicUrl() + "/self-service/settings/"
                + type.wire(), owner, returnTo, List.of(recovered));
    }

    /**
     * A new settings flow of the caller, saved, with what each method offers (an authenticator while none);
     * {@code messages}: what it shows first (null: nothing).
     */
    private Uni<Flow> opened(Caller caller, FlowType type, String requestUrl, String owner, String returnTo,
                             List<UiText> messages) {
        Instant now = clock.instant();
        Flow flow = Flow.forIdentity(FlowKind.SETTINGS, type, now, now.plus(config.flow().lifespan()), requestUrl,
                returnTo, owner, caller.identity().id, "aal1");
        Uni<Map<String, String>> offers = Uni.createFrom().item(LinkedHashMap::new);
        for (SettingsMethod method : methods) {
            offers = offers.chain(map -> method.offer(caller.identity()).map(offer -> {
                if (offer != null) {
                    map.put(method.id(), offer);
                }
                return map;
            }));
        }
        return offers.chain(map -> flows.save(flow.offering(map).withMessages(messages)));
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

    public Uni<FlowResult> submit(UUID id, Submission body, SubmitContext context) {
        return Uni.createFrom().item(() -> Submission.checked(body))
                .chain(submission -> caller(context.sessionToken(), true).chain(caller -> live(id, caller)
                        .map(flow -> flow.speaking(context.client().language()))
                        .invoke(flow -> csrf.checkCaller(flow, context))
                        .chain(flow -> route(flow, submission, caller, context))));
    }

    private Uni<FlowResult> route(Flow flow, Submission submission, Caller caller, SubmitContext context) {
        SettingsMethod method = methods.stream().filter(candidate -> candidate.claims(submission)).findFirst()
                .orElse(null);
        if (method == null) {
            return answer(false, flow, caller, FlowKind.SETTINGS.noStrategy(), null, null);
        }
        return method.submit(flow, submission, caller.identity(), context).chain(change -> {
            if (change instanceof SettingsMethod.Change.Refused refused) {
                return answer(false, flow, caller, refused.message(), refused.field(), refused.fieldMessage());
            }
            if (change instanceof SettingsMethod.Change.Showing showing) {
                return flows.save(flow.showing(method.id(), showing.pending(), clock.instant()))
                        .chain(saved -> answer(true, saved, caller, null, null, null));
            }
            SettingsMethod.Change.Saved saved = (SettingsMethod.Change.Saved) change;
            return changed(flow, caller, context.sessionToken(), method.id(), saved);
        });
    }

    /**
     * After a factor changed: a factor just proven or set up by this AAL1 session raises it to AAL2; then cached
     * sessions of the identity are dropped (their AAL verdict changed); the flow shows success and what the method
     * offers next (a new authenticator secret after an unlink), rendered from the identity as it is now (a new
     * address). Raised first: dropped first, this very session was
     * re-read as "AAL1 of an identity with a second factor" until the raise, and its other requests in flight (a
     * double-clicked save) got 403 {@code session_aal2_required} (SecondFactorTest.concurrentEnrolments…, seen
     * under load). The factor is stored by now: the other sessions are dropped from the cache even when the raise
     * fails.
     */
    private Uni<FlowResult> changed(Flow flow, Caller caller, String token, String methodId,
                                    SettingsMethod.Change.Saved saved) {
        Flow done = flow.saved(methodId, saved.pending(), List.of(UiText.settingsSaved()), clock.instant());
        Uni<?> upgrade = saved.proven() != null && "aal1".equals(caller.session().aal)
                ? sessions.raise(token, caller.identity().id, saved.proven()) : Uni.createFrom().voidItem();
        return upgrade
                .onItemOrFailure().transformToUni((raised, failure) -> directory.invalidateCached(caller.identity().id)
                        .chain(() -> failure == null ? Uni.createFrom().voidItem() : Uni.createFrom().failure(failure)))
                .chain(() -> flows.save(done))
                .chain(stored -> Panache.withSession(() -> identities.findById(caller.identity().id))
                        .chain(current -> answer(true, stored, current == null ? caller
                                : new Caller(caller.session(), current), null, null, null)));
    }

    /**
     * The flow rendered: updated (200), or shown again with a problem (400), whose messages a browser flow keeps
     * for the page a form post is redirected to.
     */
    private Uni<FlowResult> answer(boolean updated, Flow flow, Caller caller, UiText message, String field,
                                   UiText fieldMessage) {
        // A refusal shows its own problem only: the messages a browser flow kept from an earlier answer belong to
        // that answer (carried on, each refusal added its messages to the last one's).
        List<UiText> messages = message != null ? List.of(message)
                : updated && flow.messages() != null ? flow.messages() : List.of();
        return render(flow, caller.identity(), messages, field, fieldMessage)
                .call(view -> !updated && flow.type() == FlowType.BROWSER
                        ? flows.save(flow.withMessages(view.allMessages())) : Uni.createFrom().voidItem())
                .map(view -> updated ? new FlowResult.Updated(view) : new FlowResult.Form(view));
    }

    /** Every method's nodes, in their order, one after the other (they may read the database). */
    private Uni<FlowView> render(Flow flow, Identity identity, List<UiText> messages, String field,
                                 UiText fieldMessage) {
        Uni<List<UiNode>> nodes = Uni.createFrom().item(ArrayList::new);
        for (SettingsMethod method : methods) {
            nodes = nodes.chain(all -> method.nodes(flow, identity).map(mine -> {
                all.addAll(mine);
                return all;
            }));
        }
        return nodes.map(all -> views.of(flow, messages, all, field, fieldMessage)
                .withIdentity(IdentityView.of(identity)));
    }

    private Uni<Flow> live(UUID id, Caller caller) {
        return flows.live(id, flow -> flow.kind() == FlowKind.SETTINGS
                        && caller.identity().id.equals(flow.identityId()),
                expired -> opened(caller, expired.type(), expired.requestUrl(), expired.owner(), expired.returnTo(),
                        List.of(FlowKind.SETTINGS.expired(expired.expiresAt(), clock.instant()))));
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
                        throw new ApiException(403, "session_refresh_required", "The login session is too old and "
                                + "thus not allowed to update these fields. Please re-authenticate.")
                                .with("redirect_browser_to", urls.refreshLogin());
                    }
                });
    }
}
