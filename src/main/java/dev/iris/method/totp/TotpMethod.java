package dev.iris.method.totp;

import dev.iris.identity.Identity;
import dev.iris.mail.SecondFactorAlerts;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code totp} method (an authenticator app). As a second factor of a login, every code is first counted as a
 * failure of the identity's escalating lockout (429 while locked) and only then compared, so guessing stays slow
 * however many sessions or flows share the work; a wrong code that starts a new lockout emails the user. In
 * settings, while none is linked the flow offers a new secret (QR code and text) and {@code totp_code} proves it;
 * once linked, {@code totp_unlink} removes it and a new secret is offered.
 */
@Singleton
public class TotpMethod implements SecondFactorMethod, SettingsMethod {

    public static final String ID = "totp";
    private static final int POSITION = 10;

    private final TotpCredentials totp;
    private final SecondFactorLockout lockout;
    private final SecondFactorAlerts alerts;

    public TotpMethod(TotpCredentials totp, SecondFactorLockout lockout, SecondFactorAlerts alerts) {
        this.totp = totp;
        this.lockout = lockout;
        this.alerts = alerts;
    }

    @Override
    public String field() {
        return "totp_code";
    }

    /** Marks the flow when the identity has an authenticator app linked; only then is its code asked for. */
    @Override
    public Uni<String> prepare(UUID identityId) {
        return totp.enrolled(identityId).map(enrolled -> enrolled ? "linked" : null);
    }

    @Override
    public List<UiNode> loginNodes(Flow flow) {
        if (flow.pending(ID) == null) {
            return List.of();
        }
        return List.of(
                UiNode.input(ID, "totp_code", "text", null, UiText.label(1010006, "Authentication code"))
                        .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                        .attribute("pattern", "[0-9]*").attribute("maxlength", 6),
                UiNode.input(ID, "method", "submit", ID, UiText.label(1010009, "Use Authenticator")));
    }

    @Override
    public Uni<Verdict> verify(Flow flow, String given) {
        return lockout.take(flow.identityId()).chain(slot -> totp.verify(flow.identityId(), given)
                .chain(ok -> ok ? Uni.createFrom().item(new Verdict.Accepted(false)) : refused(flow, slot)));
    }

    private Uni<Verdict> refused(Flow flow, SecondFactorLockout.Slot slot) {
        Uni<Void> alert = slot.escalates()
                ? alerts.lockedOut(flow.identityId(), flow.id(), slot.lockout(), slot.locksUntilReset())
                : Uni.createFrom().voidItem();
        return alert.replaceWith(new Verdict.Refused(UiText.totpInvalid()));
    }

    @Override
    public String id() {
        return ID;
    }

    /** First among settings groups and second-factor prompts. */
    @Override
    public int position() {
        return POSITION;
    }

    /** {@code totp_unlink} implies it, without {@code method} (Kratos's {@code totp/settings.go}). */
    @Override
    public boolean claims(Submission submission) {
        return submission.names(ID) || submission.method() == null && submission.flag("totp_unlink");
    }

    @Override
    public Uni<String> offer(Identity identity) {
        return totp.enrolled(identity.id).map(enrolled -> enrolled ? null : totp.newSealedSecret());
    }

    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        String offered = flow.pending(ID);
        if (offered == null) {
            return Uni.createFrom().item(List.of(UiNode.input(ID, "totp_unlink", "submit", "true",
                    UiText.label(1050004, "Unlink TOTP Authenticator App"))));
        }
        TotpCredentials.Enrolment enrolment = totp.enrolment(offered, identity.email);
        return Uni.createFrom().item(List.of(
                UiNode.image(ID, "totp_qr", enrolment.qrDataUri(),
                        UiText.label(1050005, "Authenticator app QR code")),
                UiNode.text(ID, "totp_secret_key", new UiText(1050006, "info", enrolment.secret(),
                                Map.of("secret", enrolment.secret())),
                        UiText.label(1050017, "This is your authenticator app secret. Use it if you can not scan the "
                                + "QR code.")),
                UiNode.input(ID, "totp_code", "text", null, UiText.label(1070006, "Verify code"))
                        .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                        .attribute("pattern", "[0-9]*").attribute("maxlength", 6),
                UiNode.input(ID, "method", "submit", ID, UiText.label(1070003, "Save"))));
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity, SubmitContext context) {
        if (submission.flag("totp_unlink")) {
            return totp.unlink(identity.id).map(unlinked -> new Change.Saved(null, totp.newSealedSecret()));
        }
        String offered = flow.pending(ID);
        if (offered == null) {
            return Uni.createFrom().item(new Change.Refused(FlowKind.SETTINGS.noStrategy(), null, null));
        }
        String code = submission.present("totp_code");
        if (code == null) {
            return Uni.createFrom().item(new Change.Refused(null, "totp_code", UiText.missing("totp_code")));
        }
        return totp.enrol(identity.id, offered, code.strip()).map(ok -> ok ? new Change.Saved(ID, null)
                : new Change.Refused(null, "totp_code", UiText.totpInvalid()));
    }
}
