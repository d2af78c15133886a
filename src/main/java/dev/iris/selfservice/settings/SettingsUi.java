package dev.iris.selfservice.settings;

import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;

import dev.iris.method.totp.TotpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ui nodes of a settings flow: the {@code totp} group and the {@code lookup_secret} group, Kratos style. */
final class SettingsUi {

    private SettingsUi() {
    }

    /**
     * {@code enrolment}: the QR and secret on offer while no authenticator is linked (null once one is);
     * {@code shownCodes}: backup codes generated but not confirmed yet (null when none); {@code unusedCodes}: how many
     * confirmed codes are left.
     */
    static List<UiNode> nodes(TotpMethod.Enrolment enrolment, List<String> shownCodes, long unusedCodes) {
        List<UiNode> nodes = new ArrayList<>();
        if (enrolment == null) {
            nodes.add(UiNode.input("totp", "totp_unlink", "submit", "true",
                    UiText.label(1050004, "Unlink TOTP Authenticator App")));
        } else {
            nodes.add(UiNode.image("totp", "totp_qr", enrolment.qrDataUri(),
                    UiText.label(1050005, "Authenticator app QR code")));
            nodes.add(UiNode.text("totp", "totp_secret_key", new UiText(1050006, "info", enrolment.secret(),
                            Map.of("secret", enrolment.secret())),
                    UiText.label(1050017, "This is your authenticator app secret. Use it if you can not scan the "
                            + "QR code.")));
            nodes.add(UiNode.input("totp", "totp_code", "text", null, UiText.label(1070006, "Verify code"))
                    .required().autocomplete("one-time-code").attribute("inputmode", "numeric")
                    .attribute("pattern", "[0-9]*").attribute("maxlength", 6));
            nodes.add(UiNode.input("totp", "method", "submit", "totp", UiText.label(1070003, "Save")));
        }
        if (shownCodes != null) {
            nodes.add(UiNode.text("lookup_secret", "lookup_secret_codes",
                    new UiText(1050015, "info", String.join(", ", shownCodes), Map.of("secrets", shownCodes)),
                    UiText.label(1050010, "These are your back up recovery codes. Please keep them in a safe "
                            + "place!")));
            nodes.add(UiNode.input("lookup_secret", "lookup_secret_confirm", "submit", "true",
                    UiText.label(1050011, "Confirm backup recovery codes")));
        } else {
            nodes.add(UiNode.input("lookup_secret", "lookup_secret_regenerate", "submit", "true",
                    UiText.label(1050008, "Generate new backup recovery codes")));
            if (unusedCodes > 0) {
                nodes.add(UiNode.input("lookup_secret", "lookup_secret_disable", "submit", "true",
                        UiText.label(1050016, "Disable this method")));
            }
        }
        return nodes;
    }
}
