package dev.iris.method.passkey;

import dev.iris.credential.WebAuthnStore;
import dev.iris.config.IrisConfig;
import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.ratelimit.AbuseGuard;
import dev.iris.selfservice.flow.FirstFactorMethod;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.hook.PreHooks;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The {@code passkey} method (Kratos's passkey strategy): a discoverable WebAuthn credential with user verification
 * signs in with no address typed, and counts as AAL2 — possession of the device and the user's biometric or PIN
 * (NIST SP 800-63B-4: a synced passkey with user verification is a multi-factor, phishing-resistant authenticator).
 * A sign-up may make its passkey at once; it is stored once the address is proven ({@link PasskeySignUp}).
 * Settings add and remove passkeys (a passkey is never the last way in: the email always works). Every ceremony is
 * verified by webauthn4j against the flow's single-use challenge ({@link PasskeyChallenges}); a sign-in counts
 * against the client's failure budget like a code does. On only with {@code iris.webauthn.enabled}.
 */
@Singleton
public class PasskeyMethod implements FirstFactorMethod, SettingsMethod {

    public static final String ID = "passkey";
    private static final int POSITION = 30;
    private static final String LOGIN = "login";

    private static final WebAuthnSteps.SettingsFields FIELDS = new WebAuthnSteps.SettingsFields("passkey_remove",
            "passkey_settings_register", "passkey_display_name");

    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final PasskeyNodes nodes;
    private final PasskeySignUp signUp;
    private final WebAuthnSteps steps;
    private final IdentityRepository identities;
    private final SessionIssuer sessions;
    private final AbuseGuard guard;
    private final IrisConfig config;
    private final PreHooks hooks;

    public PasskeyMethod(PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
                         PasskeyNodes nodes, PasskeySignUp signUp, WebAuthnSteps steps,
                         IdentityRepository identities, SessionIssuer sessions, AbuseGuard guard,
                         IrisConfig config, PreHooks hooks) {
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.nodes = nodes;
        this.signUp = signUp;
        this.steps = steps;
        this.identities = identities;
        this.sessions = sessions;
        this.guard = guard;
        this.config = config;
        this.hooks = hooks;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int position() {
        return POSITION;
    }

    // ---- login -------------------------------------------------------------------------------------------------

    @Override
    public boolean supports(FlowKind kind) {
        return config.webauthn().enabled() && (kind == FlowKind.LOGIN || kind == FlowKind.REGISTRATION);
    }

    /** As {@code webauthn.js} posts it: the form with {@code passkey_login} filled, and no {@code method}. */
    @Override
    public boolean claims(Submission submission) {
        return config.webauthn().enabled() && (submission.names(ID) || submission.has("passkey_login")
                || submission.has("passkey_register")
                || submission.has("passkey_settings_register") || submission.has("passkey_remove"));
    }

    @Override
    public List<UiNode> nodes(Flow flow, String address) {
        if (flow.kind() == FlowKind.REGISTRATION) {
            return signUp.nodes(flow);
        }
        if (flow.state() != FlowState.CHOOSE_METHOD || flow.refresh()) {
            return List.of();
        }
        return nodes.login(flow.type(), config.publicUrl(),
                ceremonies.requestOptions(challenges.of(flow.id(), LOGIN)));
    }

    @Override
    public Uni<Outcome> submit(Flow flow, Submission submission, SubmitContext context) {
        if (flow.kind() == FlowKind.REGISTRATION) {
            String created = submission.document("passkey_register");
            return created == null ? shown(UiText.missing("passkey_register")) : signUp.submit(flow, submission, created);
        }
        String json = submission.document("passkey_login");
        if (json == null) {
            return shown(UiText.missing("passkey_login"));
        }
        String ip = context.client().limitKey();
        return guard.admitRedeem(ip)
                .chain(() -> signIn(flow, json, context))
                .call(outcome -> outcome instanceof Outcome.Passed ? Uni.createFrom().voidItem()
                        : guard.recordFailure(ip));
    }

    private Uni<Outcome> signIn(Flow flow, String json, SubmitContext context) {
        return steps.assertion(json, flow.id(), LOGIN, WebAuthnStore.Kind.PASSKEY, null).chain(checked ->
                checked instanceof WebAuthnSteps.Checked.Verified verified ? session(flow, verified.credential(), context)
                        : shown(((WebAuthnSteps.Checked.Refused) checked).message()));
    }

    @Override
    public Uni<Void> passed(Flow flow, Outcome.Passed passed, Submission submission, SubmitContext context) {
        return flow.kind() == FlowKind.REGISTRATION ? signUp.passed(flow, passed, submission, context)
                : Uni.createFrom().voidItem();
    }

    private Uni<Outcome> session(Flow flow, WebAuthnStore.Credential stored, SubmitContext context) {
        return Panache.withSession(() -> identities.findById(stored.identityId()))
                .chain(identity -> hooks.beforeLogin(flow, identity.id, identity.email, ID, context.client())
                        .chain(verdict -> verdict.allowed() ? issue(identity, stored, context)
                                : Uni.createFrom().item((Outcome) new Outcome.Shown(verdict.allMessages(), null,
                                        null, null))));
    }

    private Uni<Outcome> issue(Identity identity, WebAuthnStore.Credential stored, SubmitContext context) {
        return Panache.withTransaction(() -> identities.findById(identity.id)
                .chain(current -> sessions.issue(current, ID, "aal2", context.client())
                        .map(issued -> (Outcome) new Outcome.Passed(current, issued, null))))
                .invoke(() -> Log.infof("audit login.succeeded method=passkey identity=%s", stored.identityId()));
    }

    private static Uni<Outcome> shown(UiText message) {
        return Uni.createFrom().item(Outcome.Shown.message(message, null));
    }

    // ---- settings ----------------------------------------------------------------------------------------------

    @Override
    public Uni<String> offer(Identity identity) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        if (!config.webauthn().enabled()) {
            return Uni.createFrom().item(List.of());
        }
        return steps.settings(flow, identity, WebAuthnStore.Kind.PASSKEY,
                (mine, options) -> nodes.settings(flow.type(), config.publicUrl(), mine, options));
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        return steps.change(flow, submission, identity, WebAuthnStore.Kind.PASSKEY, FIELDS, null);
    }
}
