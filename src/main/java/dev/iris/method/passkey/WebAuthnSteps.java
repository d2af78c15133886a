package dev.iris.method.passkey;

import com.webauthn4j.data.AuthenticationData;
import dev.iris.credential.WebAuthnStore;
import dev.iris.identity.Identity;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SettingsMethod.Change;
import dev.iris.selfservice.ui.UiText;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The steps both WebAuthn methods take, in one pipeline each so the checks cannot drift apart (as Kratos's passkey and
 * webauthn strategies share {@code x/webauthnx}): an assertion for a flow — read, the stored credential found (of
 * the right kind, and for a second factor the flow's identity's), verified by webauthn4j against the flow's challenge,
 * the challenge claimed (single use), the counter moved forward (a regression logged as a possible clone); and the
 * settings changes — add (verified, named, stored; the challenge claimed) and remove. Audit lines are named by the
 * credential's kind: {@code passkey.*} or {@code webauthn.*}.
 */
@Singleton
public class WebAuthnSteps {

    private final WebAuthnStore store;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final Clock clock;

    public WebAuthnSteps(WebAuthnStore store, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
                         Clock clock) {
        this.store = store;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.clock = clock;
    }

    /** What an assertion proved. */
    public sealed interface Checked {

        /** A right assertion of {@code credential}; its challenge is spent and its counter recorded. */
        record Verified(WebAuthnStore.Credential credential) implements Checked {
        }

        /** Refused; {@code message} (Kratos's) says why, nothing was recorded. */
        record Refused(UiText message) implements Checked {
        }
    }

    /**
     * Checks the assertion {@code json} for the flow's challenge {@code purpose}: a credential of {@code kind}, and
     * when {@code identityId} is given, one of that identity's. A passkey must also carry its user handle.
     */
    public Uni<Checked> assertion(String json, UUID flowId, String purpose, WebAuthnStore.Kind kind, UUID identityId) {
        AuthenticationData assertion;
        try {
            assertion = ceremonies.parseAssertion(json);
        } catch (PasskeyCeremonies.Refused unreadable) {
            return refused(UiText.generic("Unable to parse WebAuthn response."));
        }
        String audit = kind.column();
        return store.find(assertion.getCredentialId(), kind).chain(stored -> {
            if (stored == null || identityId != null && !identityId.equals(stored.identityId())) {
                Log.infof("audit %s.refused flow=%s reason=unknown_credential", audit, flowId);
                return refused(new UiText(4000015, "error",
                        "This account does not exist or has no security key set up.", null));
            }
            if (kind == WebAuthnStore.Kind.PASSKEY && (assertion.getUserHandle() == null
                    || !Arrays.equals(assertion.getUserHandle(), stored.userHandle()))) {
                return refused(invalid());
            }
            try {
                PasskeyCeremonies.Assertion verified = ceremonies.verify(assertion, challenges.of(flowId, purpose),
                        stored);
                return challenges.claim(flowId, purpose).chain(fresh -> !fresh ? refused(invalid())
                        : store.used(stored.credentialId(), verified.signCount(), verified.backupState(),
                        clock.instant()).chain(counted -> counted
                        ? Uni.createFrom().item((Checked) new Checked.Verified(stored)) : clone(stored)));
            } catch (PasskeyCeremonies.Refused refused) {
                if (PasskeyCeremonies.CLONE_SUSPECTED.equals(refused.getMessage())) {
                    return clone(stored);
                }
                Log.infof("audit %s.refused flow=%s reason=%s", audit, flowId, refused.getMessage());
                return refused(invalid());
            }
        });
    }

    /** The counter went backwards (or stood still) after a valid signature: a cloned authenticator, or a replay. */
    private static Uni<Checked> clone(WebAuthnStore.Credential stored) {
        Log.warnf("audit %s.counter_regression identity=%s (a cloned authenticator?)", stored.kind().column(),
                stored.identityId());
        return refused(invalid());
    }

    private static UiText invalid() {
        return new UiText(4000043, "error", "The provided web authn login is invalid, please try again.", null);
    }

    private static Uni<Checked> refused(UiText message) {
        return Uni.createFrom().item(new Checked.Refused(message));
    }

    // ---- settings ----------------------------------------------------------------------------------------------

    /** The form fields of a method's settings nodes: the remove button, the registration result, the name. */
    public record SettingsFields(String remove, String register, String displayName) {
    }

    /**
     * A method's settings nodes: {@code render} gets the identity's credentials of {@code kind} and the creation
     * options for another one.
     */
    public <T> Uni<T> settings(Flow flow, Identity identity, WebAuthnStore.Kind kind,
                               BiFunction<List<WebAuthnStore.Credential>, String, T> render) {
        return store.all(identity.id).map(all -> render.apply(
                all.stream().filter(each -> each.kind() == kind).toList(),
                creationOptions(flow, identity, all, kind)));
    }

    /**
     * A settings submission of a method: remove the credential named in {@code fields.remove()}, or add the one
     * whose registration response is in {@code fields.register()}; {@code proven} as in {@link #register}.
     */
    public Uni<Change> change(Flow flow, Submission submission, Identity identity, WebAuthnStore.Kind kind,
                              SettingsFields fields, String proven) {
        String remove = submission.present(fields.remove());
        if (remove != null) {
            return remove(identity, remove, kind);
        }
        String json = submission.document(fields.register());
        if (json == null) {
            return Uni.createFrom().item(refusal("Choose a " + noun(kind) + " to add or remove."));
        }
        return register(flow, identity, json, submission.present(fields.displayName()), kind, proven);
    }

    /**
     * The creation options for adding a credential of {@code kind} in this settings flow: its challenge, the
     * identity's user handle, and every credential it has excluded.
     */
    private String creationOptions(Flow flow, Identity identity, List<WebAuthnStore.Credential> all,
                                  WebAuthnStore.Kind kind) {
        return ceremonies.creationOptions(challenges.of(flow.id(), registration(flow, kind)),
                challenges.userHandle(identity.id, all), identity.email,
                all.stream().map(WebAuthnStore.Credential::credentialId).toList(), kind == WebAuthnStore.Kind.PASSKEY);
    }

    /** Removes the credential whose id is {@code hex}, of {@code kind}. */
    private Uni<Change> remove(Identity identity, String hex, WebAuthnStore.Kind kind) {
        String missing = "You tried to remove a " + noun(kind) + " which does not exist.";
        byte[] id;
        try {
            id = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(refusal(missing));
        }
        return store.remove(identity.id, id, kind, clock.instant()).invoke(removed -> {
            if (removed) {
                Log.infof("audit %s.removed identity=%s via=user", kind.column(), identity.id);
            }
        }).map(removed -> removed ? new Change.Saved(null, null) : refusal(missing));
    }

    /**
     * Adds the credential the registration response {@code json} makes, named {@code name} (or "Passkey 2"...);
     * {@code proven}: what the saved change says was proven (raises an AAL1 session), or null.
     */
    private Uni<Change> register(Flow flow, Identity identity, String json, String name, WebAuthnStore.Kind kind,
                                String proven) {
        String failed = "The " + noun(kind) + " could not be added. Please try again.";
        String purpose = registration(flow, kind);
        PasskeyCeremonies.NewCredential credential;
        try {
            credential = ceremonies.register(json, challenges.of(flow.id(), purpose),
                    kind == WebAuthnStore.Kind.PASSKEY);
        } catch (PasskeyCeremonies.Refused refused) {
            Log.infof("audit %s.registration_refused identity=%s reason=%s", kind.column(), identity.id,
                    refused.getMessage());
            return Uni.createFrom().item(refusal(failed));
        }
        return store.all(identity.id).chain(all -> {
            long same = all.stream().filter(each -> each.kind() == kind).count();
            String noun = noun(kind);
            String displayName = name == null ? Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + " "
                    + (same + 1) : name.strip().substring(0, Math.min(64, name.strip().length()));
            WebAuthnStore.Credential added = new WebAuthnStore.Credential(credential.credentialId(), kind, identity.id,
                    challenges.userHandle(identity.id, all), credential.publicKey(), credential.aaguid(),
                    credential.signCount(), credential.transports(), credential.userVerified(),
                    credential.backupEligible(), credential.backupState(), displayName, clock.instant(), null);
            return challenges.claim(flow.id(), purpose).chain(fresh -> !fresh ? Uni.createFrom().item(refusal(failed))
                    : store.insert(added).map(stored -> stored ? (Change) new Change.Saved(proven, null)
                    : refusal("This " + noun + " is already registered.")));
        }).invoke(change -> {
            if (change instanceof Change.Saved) {
                Log.infof("audit %s.added identity=%s via=user", kind.column(), identity.id);
            }
        });
    }

    /**
     * A registration challenge per state of the settings flow and kind: each save moves {@code updated_at}, so after
     * a credential is added the next one gets a fresh challenge, and the used one stays used.
     */
    private static String registration(Flow flow, WebAuthnStore.Kind kind) {
        return "register-" + kind.column() + ":" + flow.updatedAt().toEpochMilli();
    }

    private static String noun(WebAuthnStore.Kind kind) {
        return kind == WebAuthnStore.Kind.PASSKEY ? "passkey" : "security key";
    }

    /** A settings submission refused with Kratos's generic message. */
    public static Change refusal(String text) {
        return new Change.Refused(UiText.generic(text), null, null);
    }
}
