package dev.iris.method.totp;

import dev.iris.identity.Identity;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.SettingsMethod;
import dev.iris.selfservice.flow.Submission;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Linking an authenticator app in settings: while none is linked the flow offers a new secret (QR code and text)
 * and {@code totp_code} proves it; once linked, {@code totp_unlink} removes it and a new secret is offered.
 */
@Singleton
public class TotpSettings implements SettingsMethod {

    private final TotpMethod totp;

    public TotpSettings(TotpMethod totp) {
        this.totp = totp;
    }

    @Override
    public String id() {
        return TotpMethod.ID;
    }

    @Override
    public int position() {
        return 10;
    }

    @Override
    public Uni<String> offer(Identity identity) {
        return totp.enrolled(identity.id).map(enrolled -> enrolled ? null : totp.newSealedSecret());
    }

    @Override
    public Uni<List<UiNode>> nodes(Flow flow, Identity identity) {
        String offered = flow.pending(TotpMethod.ID);
        if (offered == null) {
            return Uni.createFrom().item(List.of(UiNode.input(TotpMethod.ID, "totp_unlink", "submit", "true",
                    UiText.label(1050004, "Unlink TOTP Authenticator App"))));
        }
        TotpMethod.Enrolment enrolment = totp.enrolment(offered, identity.email);
        return Uni.createFrom().item(List.of(
                UiNode.image(TotpMethod.ID, "totp_qr", enrolment.qrDataUri(),
                        UiText.label(1050005, "Authenticator app QR code")),
                UiNode.text(TotpMethod.ID, "totp_secret_key", new UiText(1050006, "info", enrolment.secret(),
                                Map.of("secret", enrolment.secret())),
                        UiText.label(1050017, "This is your authenticator app secret. Use it if you can not scan the "
                                + "QR code.")),
                UiNode.input(TotpMethod.ID, "totp_code", "text", null, UiText.label(1070006, "Verify code"))
                        .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                        .attribute("pattern", "[0-9]*").attribute("maxlength", 6),
                UiNode.input(TotpMethod.ID, "method", "submit", TotpMethod.ID, UiText.label(1070003, "Save"))));
    }

    @Override
    public Uni<Change> submit(Flow flow, Submission submission, Identity identity) {
        if (submission.flag("totp_unlink")) {
            return totp.unlink(identity.id).map(unlinked -> new Change.Saved(null, totp.newSealedSecret()));
        }
        String offered = flow.pending(TotpMethod.ID);
        if (offered == null) {
            return Uni.createFrom().item(new Change.Refused(FlowKind.SETTINGS.noStrategy(), null, null));
        }
        String code = submission.present("totp_code");
        if (code == null) {
            return Uni.createFrom().item(new Change.Refused(null, "totp_code", UiText.missing("totp_code")));
        }
        return totp.enrol(identity.id, offered, code.strip()).map(ok -> ok ? new Change.Saved(TotpMethod.ID, null)
                : new Change.Refused(null, "totp_code", UiText.totpInvalid()));
    }
}
