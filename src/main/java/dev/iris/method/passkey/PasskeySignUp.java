package dev.iris.method.passkey;

import dev.iris.config.IrisConfig;
import dev.iris.credential.WebAuthnStore;
import dev.iris.crypto.CodeHasher;
import dev.iris.crypto.SecretCipher;
import dev.iris.identity.EmailAddress;
import dev.iris.identity.Identity;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowState;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.Outcome;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Sign-up with a passkey (Kratos's {@code passkey_register}), under Iris's rule that no account exists on an unproven
 * address: the passkey is made and verified at once, but only kept — sealed in the flow — while the code method
 * mails the address its code and link ({@link Outcome.Handover}). When the flow is passed, the passkey is stored for
 * the identity, and only if all of these hold, else it is dropped (the user can add one in settings):
 * <ul>
 *   <li>the address was proven by the client that made the passkey — the browser that started the flow, or for an
 *   api flow the 6-digit code typed into it (a link opened elsewhere may be a victim's click on an attacker's
 *   sign-up: the attacker's passkey must never reach the victim's account);</li>
 *   <li>the identity was created by this sign-up (created after the flow began) and has no second factor (a passkey
 *   signs in at AAL2: it must not step past an existing account's second factor);</li>
 *   <li>the flow's challenge was not used before (claimed here, once).</li>
 * </ul>
 */
@Singleton
public class PasskeySignUp {

    static final String PURPOSE = "sign-up";

    private final WebAuthnStore store;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final PasskeyNodes nodes;
    private final CodeHasher hasher;
    private final SecretCipher cipher;
    private final IrisConfig config;
    private final Clock clock;

    public PasskeySignUp(WebAuthnStore store, PasskeyChallenges challenges, PasskeyCeremonies ceremonies,
                         PasskeyNodes nodes, CodeHasher hasher, SecretCipher cipher, IrisConfig config, Clock clock) {
        this.store = store;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.nodes = nodes;
        this.hasher = hasher;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
    }

    /** A sign-up that has not sent its email yet: "Sign up with passkey". */
    List<UiNode> nodes(Flow flow) {
        if (flow.state() != FlowState.CHOOSE_METHOD) {
            return List.of();
        }
        String options = ceremonies.creationOptions(challenges.of(flow.id(), PURPOSE), userHandle(flow.id()), "",
                List.of(), true);
        String createData = new JsonObject().put("credentialOptions", new JsonObject(options))
                .put("displayNameFieldName", FlowKind.REGISTRATION.addressField()).encode();
        return nodes.registration(flow.type(), config.publicUrl(), createData);
    }

    /** Verifies the new passkey, keeps it in the flow, and hands the address to the code method. */
    Uni<Outcome> submit(Flow flow, Submission submission, String json) {
        String field = FlowKind.REGISTRATION.addressField();
        String address = submission.present(field);
        if (address == null) {
            return shown(Outcome.Shown.onField(field, UiText.missing(field), null));
        }
        if (EmailAddress.normalise(address, config.mail().smtputf8()).isEmpty()) {
            // The code method words this answer; the passkey is not looked at.
            return Uni.createFrom().item(new Outcome.Handover(null, "code", Submission.of("code", field, address)));
        }
        PasskeyCeremonies.NewCredential credential;
        try {
            credential = ceremonies.register(json, challenges.of(flow.id(), PURPOSE), true);
        } catch (PasskeyCeremonies.Refused refused) {
            Log.infof("audit passkey.registration_refused flow=%s reason=%s", flow.id(), refused.getMessage());
            return shown(Outcome.Shown.message(UiText.generic("The passkey could not be created. Please try again."),
                    address));
        }
        return Uni.createFrom().item(new Outcome.Handover(cipher.sealText(sealable(credential).encode()), "code",
                Submission.of("code", field, address)));
    }

    /** Stores the kept passkey for the new identity, when every condition above holds; never fails the sign-up. */
    Uni<Void> passed(Flow flow, Outcome.Passed passed, Submission submission, SubmitContext context) {
        String kept = flow.pending(PasskeyMethod.ID);
        if (kept == null || passed.identity() == null) {
            return Uni.createFrom().voidItem();
        }
        Identity identity = passed.identity();
        String code = submission.present("code");
        boolean sameClient = context.sameBrowser()
                || flow.type() == FlowType.API && code != null && code.strip().matches("[0-9]{6}");
        boolean newAccount = !identity.createdAt.isBefore(flow.issuedAt()) && !identity.hasSecondFactor();
        if (!sameClient || !newAccount) {
            Log.infof("audit passkey.dropped flow=%s identity=%s reason=%s", flow.id(), identity.id,
                    !sameClient ? "proven_elsewhere" : "existing_account");
            return Uni.createFrom().voidItem();
        }
        WebAuthnStore.Credential passkey = credential(cipher.openText(kept), flow.id(), identity.id);
        return challenges.claim(flow.id(), PURPOSE)
                .chain(fresh -> fresh ? store.insert(passkey) : Uni.createFrom().item(false))
                .invoke(added -> Log.infof(added ? "audit passkey.added identity=%s via=sign_up"
                        : "audit passkey.dropped identity=%s reason=already_used", identity.id))
                .replaceWithVoid()
                .onFailure().invoke(failure -> Log.warnf("Passkey of sign-up flow %s not stored: %s", flow.id(),
                        failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** A user handle for an identity that does not exist yet: derived from the flow, kept with its passkey. */
    private byte[] userHandle(UUID flowId) {
        return hasher.sign("webauthn-user-sign-up", flowId.toString());
    }

    private static JsonObject sealable(PasskeyCeremonies.NewCredential credential) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new JsonObject().put("id", base64.encodeToString(credential.credentialId()))
                .put("key", base64.encodeToString(credential.publicKey()))
                .put("aaguid", credential.aaguid().toString()).put("count", credential.signCount())
                .put("transports", credential.transports()).put("uv", credential.userVerified())
                .put("be", credential.backupEligible()).put("bs", credential.backupState());
    }

    private WebAuthnStore.Credential credential(String json, UUID flowId, UUID identityId) {
        JsonObject kept = new JsonObject(json);
        Base64.Decoder base64 = Base64.getDecoder();
        return new WebAuthnStore.Credential(base64.decode(kept.getString("id")), WebAuthnStore.Kind.PASSKEY,
                identityId, userHandle(flowId), base64.decode(kept.getString("key")),
                UUID.fromString(kept.getString("aaguid")), kept.getLong("count"), kept.getString("transports"),
                kept.getBoolean("uv"), kept.getBoolean("be"), kept.getBoolean("bs"), "Passkey 1", clock.instant(),
                null);
    }

    private static Uni<Outcome> shown(Outcome.Shown shown) {
        return Uni.createFrom().item(shown);
    }
}
