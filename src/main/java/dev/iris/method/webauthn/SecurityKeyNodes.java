package dev.iris.method.webauthn;

import dev.iris.credential.WebAuthnStore;
import dev.iris.method.passkey.PasskeyNodes;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The security-key method's ui nodes, in Kratos's names and shapes ({@code selfservice/strategy/webauthn},
 * {@code x/webauthnx/nodes.go}): the trigger button carries the options as its {@code value} and names the
 * {@code webauthn.js} function in {@code onclickTrigger} (for browser flows also as {@code onclick}, with the script
 * node); the function writes the result into the hidden input and submits the form.
 */
@Singleton
public class SecurityKeyNodes {

    private static final String GROUP = SecurityKeyMethod.ID;

    private final PasskeyNodes passkeyNodes;

    public SecurityKeyNodes(PasskeyNodes passkeyNodes) {
        this.passkeyNodes = passkeyNodes;
    }

    /** The aal2 prompt: "Sign in with a hardware key". */
    List<UiNode> login(FlowType type, String publicUrl, String requestOptions) {
        boolean browser = type == FlowType.BROWSER;
        List<UiNode> nodes = new ArrayList<>();
        nodes.add(UiNode.input(GROUP, "webauthn_login", "hidden", "", null));
        if (browser) {
            nodes.add(passkeyNodes.script(publicUrl));
        }
        nodes.add(PasskeyNodes.trigger(UiNode.input(GROUP, "webauthn_login_trigger", "button", requestOptions,
                UiText.label(1010008, "Sign in with a hardware key")), "onclick", "oryWebAuthnLogin", browser));
        return nodes;
    }

    /** Settings: one remove button per key, a name for the next one, and "Add security key". */
    List<UiNode> settings(FlowType type, String publicUrl, List<WebAuthnStore.Credential> keys,
                          String creationOptions) {
        boolean browser = type == FlowType.BROWSER;
        List<UiNode> nodes = new ArrayList<>();
        for (WebAuthnStore.Credential key : keys) {
            nodes.add(UiNode.input(GROUP, "webauthn_remove", "submit", HexFormat.of().formatHex(key.credentialId()),
                    new UiText(1050018, "info", "Remove security key \"" + key.displayName() + "\"",
                            PasskeyNodes.context(key))));
        }
        nodes.add(UiNode.input(GROUP, "webauthn_register_displayname", "text", "",
                UiText.label(1050013, "Name of the security key")));
        nodes.add(UiNode.input(GROUP, "webauthn_register", "hidden", "", null));
        nodes.add(PasskeyNodes.trigger(UiNode.input(GROUP, "webauthn_register_trigger", "button", creationOptions,
                UiText.label(1050012, "Add security key")), "onclick", "oryWebAuthnRegistration", browser));
        if (browser) {
            nodes.add(passkeyNodes.script(publicUrl));
        }
        return nodes;
    }
}
