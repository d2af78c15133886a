package dev.iris.method.passkey;

import dev.iris.credential.WebAuthnStore;
import com.webauthn4j.data.AuthenticationData;
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
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import dev.iris.session.SessionIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
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

    private final WebAuthnStore store;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final PasskeyNodes nodes;
    private final PasskeySignUp signUp;
    private final IdentityRepository identities;
    private final SessionIssuer sessions;
    private final AbuseGuard guard;
    private final IrisConfig config;
    private final Clock clock;

    public PasskeyMethod(WebAuthnStore store, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
                         PasskeyNodes nodes, PasskeySignUp signUp, IdentityRepository identities, SessionIssuer sessions, AbuseGuard guard,
                         IrisConfig config, Clock clock) {
        this.store = store;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.nodes = nodes;
        this.signUp = signUp;
        this.identities = identities;
        this.sessions = sessions;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
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
        AuthenticationData assertion;
        try {
            assertion = ceremonies.parseAssertion(json);
        } catch (PasskeyCeremonies.Refused unreadable) {
            return shown(UiText.generic("Unable to parse WebAuthn response."));
        }
        return store.find(assertion.getCredentialId(), WebAuthnStore.Kind.PASSKEY).chain(stored -> {
            if (stored == null) {
                Log.infof("audit passkey.refused flow=%s reason=unknown_credential", flow.id());
                return shown(new UiText(4000015, "error",
                        "This account does not exist or has no security key set up.", null));
            }
            if (assertion.getUserHandle() == null || !Arrays.equals(assertion.getUserHandle(), stored.userHandle())) {
                return shown(invalid());
            }
            try {
                PasskeyCeremonies.Assertion verified = ceremonies.verify(assertion, challenges.of(flow.id(), LOGIN),
                        stored);
                return challenges.claim(flow.id(), LOGIN).chain(fresh -> !fresh ? shown(invalid())
                        : store.used(stored.credentialId(), verified.signCount(), verified.backupState(),
                                clock.instant()).chain(counted -> counted ? session(stored, context) : clone(stored)));
            } catch (PasskeyCeremonies.Refused refused) {
                if (PasskeyCeremonies.CLONE_SUSPECTED.equals(refused.getMessage())) {
                    return clone(stored);
                }
                Log.infof("audit passkey.refused flow=%s reason=%s", flow.id(), refused.getMessage());
                return shown(invalid());
            }
        });
    }

    @Override
    public Uni<Void> passed(Flow flow, Outcome.Passed passed, Submission submission, SubmitContext context) {
        return flow.kind() == FlowKind.REGISTRATION ? signUp.passed(flow, passed, submission, context)
                : Uni.createFrom().voidItem();
    }

    /** The counter went backwards (or stood still) after a valid signature: a cloned authenticator, or a replay. */
    private Uni<Outcome> clone(WebAuthnStore.Credential stored) {
        Log.warnf("audit passkey.counter_regression identity=%s (a cloned authenticator?)", stored.identityId());
        return shown(invalid());
    }

    private Uni<Outcome> session(WebAuthnStore.Credential stored, SubmitContext context) {
        return Panache.withTransaction(() -> identities.findById(stored.identityId())
                .chain(identity -> sessions.issue(identity, ID, "aal2", context.client())
                        .map(issued -> (Outcome) new Outcome.Passed(identity, issued, null))))
                .invoke(() -> Log.infof("audit login.succeeded method=passkey identity=%s", stored.identityId()));
    }

    private static UiText invalid() {
        return new UiText(4000043, "error", "The provided web authn login is invalid, please try again.", null);
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
        return store.all(identity.id).map(all -> {
            List<WebAuthnStore.Credential> passkeys = passkeys(all);
            return nodes.settings(flow.type(), config.publicUrl(), passkeys, ceremonies.creationOptions(
                    challenges.of(flow.id(), registration(flow)), challenges.userHandle(identity.id, passkeys),
                    identity.email,
                    all.stream().map(WebAuthnStore.Credential::credentialId).toList(), true));
        });
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        String remove = submission.present("passkey_remove");
        if (remove != null) {
            byte[] id;
            try {
                id = HexFormat.of().parseHex(remove.strip());
            } catch (IllegalArgumentException e) {
                return refused("You tried to remove a passkey which does not exist.");
            }
            return store.remove(identity.id, id, WebAuthnStore.Kind.PASSKEY, clock.instant()).invoke(removed -> {
                if (removed) {
                    Log.infof("audit passkey.removed identity=%s via=user", identity.id);
                }
            }).map(removed -> removed ? new Change.Saved(null, null)
                    : refusal("You tried to remove a passkey which does not exist."));
        }
        String json = submission.document("passkey_settings_register");
        if (json == null) {
            return refused("Choose a passkey to add or remove.");
        }
        return store.of(identity.id, WebAuthnStore.Kind.PASSKEY).chain(passkeys -> register(flow, identity, passkeys, json,
                submission.present("passkey_display_name")));
    }

    private Uni<Change> register(Flow flow, Identity identity, List<WebAuthnStore.Credential> passkeys, String json,
                                 String name) {
        PasskeyCeremonies.NewCredential credential;
        try {
            credential = ceremonies.register(json, challenges.of(flow.id(), registration(flow)), true);
        } catch (PasskeyCeremonies.Refused refused) {
            Log.infof("audit passkey.registration_refused identity=%s reason=%s", identity.id, refused.getMessage());
            return refused("The passkey could not be added. Please try again.");
        }
        String displayName = name == null ? "Passkey " + (passkeys.size() + 1)
                : name.strip().substring(0, Math.min(64, name.strip().length()));
        WebAuthnStore.Credential passkey = new WebAuthnStore.Credential(credential.credentialId(),
                WebAuthnStore.Kind.PASSKEY, identity.id,
                challenges.userHandle(identity.id, passkeys), credential.publicKey(), credential.aaguid(),
                credential.signCount(),
                credential.transports(), credential.userVerified(), credential.backupEligible(),
                credential.backupState(), displayName, clock.instant(), null);
        return challenges.claim(flow.id(), registration(flow)).chain(fresh -> !fresh
                ? refused("The passkey could not be added. Please try again.")
                : store.insert(passkey).map(stored -> stored ? (Change) new Change.Saved(null, null)
                : refusal("This passkey is already registered.")))
                .invoke(change -> {
                    if (change instanceof Change.Saved) {
                        Log.infof("audit passkey.added identity=%s", identity.id);
                    }
                });
    }

    /**
     * A registration challenge per state of the settings flow: each save moves {@code updated_at}, so after a passkey
     * is added the next one gets a fresh challenge, and the used one stays used.
     */
    private static String registration(Flow flow) {
        return "register:" + flow.updatedAt().toEpochMilli();
    }

    private static List<WebAuthnStore.Credential> passkeys(List<WebAuthnStore.Credential> all) {
        return all.stream().filter(credential -> credential.kind() == WebAuthnStore.Kind.PASSKEY).toList();
    }

    /** A settings submission refused with Kratos's generic message. */
    private static Change refusal(String text) {
        return new Change.Refused(UiText.generic(text), null, null);
    }

    private static Uni<Change> refused(String text) {
        return Uni.createFrom().item(refusal(text));
    }
}
