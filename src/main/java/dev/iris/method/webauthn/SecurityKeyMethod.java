package dev.iris.method.webauthn;

import dev.iris.config.IrisConfig;
import dev.iris.credential.WebAuthnStore;
import dev.iris.identity.Identity;
import dev.iris.method.passkey.PasskeyCeremonies;
import dev.iris.method.passkey.PasskeyChallenges;
import dev.iris.method.passkey.WebAuthnSteps;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

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

    private static final WebAuthnSteps.SettingsFields FIELDS = new WebAuthnSteps.SettingsFields(
            "webauthn_remove", "webauthn_register", "webauthn_register_displayname");

    private final WebAuthnStore store;
    private final WebAuthnSteps steps;
    private final PasskeyChallenges challenges;
    private final PasskeyCeremonies ceremonies;
    private final SecurityKeyNodes nodes;
    private final IrisConfig config;

    public SecurityKeyMethod(WebAuthnStore store, WebAuthnSteps steps, PasskeyChallenges challenges,
                             PasskeyCeremonies ceremonies, SecurityKeyNodes nodes, IrisConfig config) {
        this.store = store;
        this.steps = steps;
        this.challenges = challenges;
        this.ceremonies = ceremonies;
        this.nodes = nodes;
        this.config = config;
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
        return steps.assertion(given, flow.id(), LOGIN, WebAuthnStore.Kind.SECURITY_KEY, flow.identityId())
                .map(checked -> checked instanceof WebAuthnSteps.Checked.Verified ? new Verdict.Accepted(false)
                        : new Verdict.Refused(((WebAuthnSteps.Checked.Refused) checked).message()));
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
        return steps.settings(flow, identity, WebAuthnStore.Kind.SECURITY_KEY,
                (mine, options) -> nodes.settings(flow.type(), config.publicUrl(), mine, options));
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        return steps.change(flow, submission, identity, WebAuthnStore.Kind.SECURITY_KEY, FIELDS, ID);
    }
}
