package dev.iris.method.totp;

import dev.iris.mail.SecondFactorAlerts;
import dev.iris.ratelimit.SecondFactorLockout;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.SecondFactorMethod;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * An authenticator code as the second factor of a login. Every code is first counted as a failure of the
 * identity's escalating lockout (429 while locked) and only then compared, so guessing stays slow however many
 * sessions or flows share the work; a wrong code that starts a new lockout emails the user.
 */
@Singleton
public class TotpLogin implements SecondFactorMethod {

    private final TotpMethod totp;
    private final SecondFactorLockout lockout;
    private final SecondFactorAlerts alerts;

    public TotpLogin(TotpMethod totp, SecondFactorLockout lockout, SecondFactorAlerts alerts) {
        this.totp = totp;
        this.lockout = lockout;
        this.alerts = alerts;
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
    public String field() {
        return "totp_code";
    }

    @Override
    public List<UiNode> loginNodes() {
        return List.of(
                UiNode.input(TotpMethod.ID, "totp_code", "text", null, UiText.label(1010006, "Authentication code"))
                        .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                        .attribute("pattern", "[0-9]*").attribute("maxlength", 6),
                UiNode.input(TotpMethod.ID, "method", "submit", TotpMethod.ID, UiText.label(1010009, "Continue")));
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
}
