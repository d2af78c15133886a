package dev.iris.method.webauthn;

import com.webauthn4j.data.AuthenticationData;
import dev.iris.config.IrisConfig;
import dev.iris.credential.WebAuthnStore;
import dev.iris.identity.Identity;
import dev.iris.method.passkey.PasskeyCeremonies;
import dev.iris.method.passkey.PasskeyChallenges;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The {@code webauthn} method (Kratos's name): a security key — any WebAuthn authenticator, touched — as a second
 * factor beside TOTP and backup codes. The aal2 prompt asks for one of the identity's keys (their ids are kept in the
 * flow when it is made, {@link #prepare}); the assertion is verified by webauthn4j against the flow's single-use
 * challenge: origin, RP ID, user presence, signature, a counter that moves forward (a regression is logged as a
 * possible clone and refused). User verification is not asked for: the email was the first factor, the key is the
 * second. Settings add keys (the session that adds one is raised to AAL2, as a TOTP enrolment does) and remove them;
 * every change recomputes the identity's available AAL in the same transaction ({@link WebAuthnStore}). On only with
 * {@code iris.webauthn.enabled}.
 */
@Singleton
public class SecurityKeyMethod implements SecondFactorMethod, SettingsMethod {

    public static final String ID = "webauthn";
    private static final int POSITION = 25;
    private static final String LOGIN = "second-factor";

    private final WebAuthnStore store;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final SecurityKeyNodes nodes;
    private final IrisConfig config;
    private final Clock clock;

    public SecurityKeyMethod(WebAuthnStore store, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
                             SecurityKeyNodes nodes, IrisConfig config, Clock clock) {
        this.store = store;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.nodes = nodes;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    /** Between backup codes and passkeys, in settings and in the aal2 prompt. */
    @Override
    public int position() {
        return POSITION;
    }

    /** As {@code webauthn.js} posts them: the form with the result filled, and no {@code method}. */
    @Override
    public boolean claims(Submission submission) {
        return config.webauthn().enabled() && (submission.names(ID) || submission.has("webauthn_login")
                || submission.has("webauthn_register") || submission.has("webauthn_remove"));
    }

    // ---- second factor -----------------------------------------------------------------------------------------

    @Override
    public String field() {
        return "webauthn_login";
    }

    @Override
    public String given(Submission submission) {
        return submission.document(field());
    }

    /** The ids of the identity's security keys (hex, comma-separated), or null when it has none. */
    @Override
    public Uni<String> prepare(UUID identityId) {
        if (!config.webauthn().enabled()) {
            return Uni.createFrom().nullItem();
        }
        return store.of(identityId, WebAuthnStore.Kind.SECURITY_KEY).map(keys -> keys.isEmpty() ? null
                : String.join(",", keys.stream().map(key -> HexFormat.of().formatHex(key.credentialId())).toList()));
    }

    @Override
    public List<UiNode> loginNodes(Flow flow) {
        String keys = flow.pending(ID);
        if (keys == null || !config.webauthn().enabled()) {
            return List.of();
        }
        List<byte[]> allowed = Arrays.stream(keys.split(",")).map(HexFormat.of()::parseHex).toList();
        return nodes.login(flow.type(), config.publicUrl(),
                ceremonies.secondFactorOptions(challenges.of(flow.id(), LOGIN), allowed));
    }

    @Override
    public Uni<Verdict> verify(Flow flow, String given) {
        AuthenticationData assertion;
        try {
            assertion = ceremonies.parseAssertion(given);
        } catch (PasskeyCeremonies.Refused unreadable) {
            return refused(UiText.generic("Unable to parse WebAuthn response."));
        }
        return store.find(assertion.getCredentialId(), WebAuthnStore.Kind.SECURITY_KEY).chain(stored -> {
            if (stored == null || !stored.identityId().equals(flow.identityId())) {
                Log.infof("audit webauthn.refused flow=%s reason=unknown_credential", flow.id());
                return refused(new UiText(4000015, "error",
                        "This account does not exist or has no security key set up.", null));
            }
            try {
                PasskeyCeremonies.Assertion verified = ceremonies.verify(assertion, challenges.of(flow.id(), LOGIN),
                        stored);
                return challenges.claim(flow.id(), LOGIN).chain(fresh -> !fresh ? refused(invalid())
                        : store.used(stored.credentialId(), verified.signCount(), verified.backupState(),
                        clock.instant()).chain(counted -> counted ? Uni.createFrom().item(new Verdict.Accepted(false))
                        : clone(stored)));
            } catch (PasskeyCeremonies.Refused refused) {
                if (PasskeyCeremonies.CLONE_SUSPECTED.equals(refused.getMessage())) {
                    return clone(stored);
                }
                Log.infof("audit webauthn.refused flow=%s reason=%s", flow.id(), refused.getMessage());
                return refused(invalid());
            }
        });
    }

    private static Uni<Verdict> clone(WebAuthnStore.Credential stored) {
        Log.warnf("audit webauthn.counter_regression identity=%s (a cloned security key?)", stored.identityId());
        return refused(invalid());
    }

    private static UiText invalid() {
        return new UiText(4000043, "error", "The provided web authn login is invalid, please try again.", null);
    }

    private static Uni<Verdict> refused(UiText message) {
        return Uni.createFrom().item(new Verdict.Refused(message));
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
        return store.all(identity.id).map(all -> nodes.settings(flow.type(), config.publicUrl(),
                all.stream().filter(key -> key.kind() == WebAuthnStore.Kind.SECURITY_KEY).toList(),
                ceremonies.creationOptions(challenges.of(flow.id(), registration(flow)), challenges.userHandle(identity.id, all),
                        identity.email, all.stream().map(WebAuthnStore.Credential::credentialId).toList(), false)));
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        String remove = submission.present("webauthn_remove");
        if (remove != null) {
            byte[] id;
            try {
                id = HexFormat.of().parseHex(remove.strip());
            } catch (IllegalArgumentException e) {
                return refused("You tried to remove a security key which does not exist.");
            }
            return store.remove(identity.id, id, WebAuthnStore.Kind.SECURITY_KEY, clock.instant())
                    .invoke(removed -> {
                        if (removed) {
                            Log.infof("audit webauthn.removed identity=%s via=user", identity.id);
                        }
                    }).map(removed -> removed ? new Change.Saved(null, null)
                            : refusal("You tried to remove a security key which does not exist."));
        }
        String json = submission.document("webauthn_register");
        if (json == null) {
            return refused("Choose a security key to add or remove.");
        }
        return store.all(identity.id).chain(all -> register(flow, identity, all, json,
                submission.present("webauthn_register_displayname")));
    }

    private Uni<Change> register(Flow flow, Identity identity, List<WebAuthnStore.Credential> all, String json,
                                 String name) {
        PasskeyCeremonies.NewCredential credential;
        try {
            credential = ceremonies.register(json, challenges.of(flow.id(), registration(flow)), false);
        } catch (PasskeyCeremonies.Refused refused) {
            Log.infof("audit webauthn.registration_refused identity=%s reason=%s", identity.id, refused.getMessage());
            return refused("The security key could not be added. Please try again.");
        }
        long keys = all.stream().filter(key -> key.kind() == WebAuthnStore.Kind.SECURITY_KEY).count();
        String displayName = name == null ? "Security key " + (keys + 1)
                : name.strip().substring(0, Math.min(64, name.strip().length()));
        WebAuthnStore.Credential key = new WebAuthnStore.Credential(credential.credentialId(),
                WebAuthnStore.Kind.SECURITY_KEY, identity.id, challenges.userHandle(identity.id, all), credential.publicKey(),
                credential.aaguid(), credential.signCount(), credential.transports(), credential.userVerified(),
                credential.backupEligible(), credential.backupState(), displayName, clock.instant(), null);
        return challenges.claim(flow.id(), registration(flow)).chain(fresh -> !fresh
                        ? refused("The security key could not be added. Please try again.")
                        : store.insert(key).map(stored -> stored ? (Change) new Change.Saved(ID, null)
                        : refusal("This security key is already registered.")))
                .invoke(change -> {
                    if (change instanceof Change.Saved) {
                        Log.infof("audit webauthn.added identity=%s", identity.id);
                    }
                });
    }

    /** A registration challenge per state of the settings flow (each save moves {@code updated_at}). */
    private static String registration(Flow flow) {
        return "register-key:" + flow.updatedAt().toEpochMilli();
    }

    private static Change refusal(String text) {
        return new Change.Refused(UiText.generic(text), null, null);
    }

    private static Uni<Change> refused(String text) {
        return Uni.createFrom().item(refusal(text));
    }
}
