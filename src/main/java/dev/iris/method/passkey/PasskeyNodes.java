package dev.iris.method.passkey;

import dev.iris.credential.WebAuthnStore;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.ui.UiNode;
import dev.iris.selfservice.ui.UiText;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The passkey method's ui nodes, in Kratos's names and shapes ({@code selfservice/strategy/passkey}): the options in a
 * hidden input, the hidden input {@code webauthn.js} writes the result into, the button (or, for autofill, the load
 * hook) that runs the ceremony — named by {@code onclickTrigger}/{@code onloadTrigger} for every flow, and for browser
 * flows also as {@code onclick}/{@code onload} and with the script node that defines them.
 */
@Singleton
public class PasskeyNodes {

    static final String SCRIPT_PATH = "/.well-known/ory/webauthn.js";

    private final String integrity;

    public PasskeyNodes() {
        this.integrity = integrityOf("META-INF/resources" + SCRIPT_PATH);
    }

    /** A first-factor login that has not sent a code yet: autofill and the "Sign in with passkey" button. */
    List<UiNode> login(FlowType type, String publicUrl, String requestOptions) {
        boolean browser = type == FlowType.BROWSER;
        List<UiNode> nodes = new ArrayList<>();
        nodes.add(UiNode.input("passkey", "passkey_challenge", "hidden", requestOptions, null));
        if (browser) {
            nodes.add(script(publicUrl));
        }
        nodes.add(trigger(UiNode.input("passkey", "passkey_login", "hidden", null, null), "onload",
                "oryPasskeyLoginAutocompleteInit", browser));
        nodes.add(trigger(UiNode.input("passkey", "passkey_login_trigger", "button", "",
                UiText.label(1010021, "Sign in with passkey")), "onclick", "oryPasskeyLogin", browser));
        return nodes;
    }

    /** A sign-up that has not sent its email yet: "Sign up with passkey" (the display name is the address typed). */
    List<UiNode> registration(FlowType type, String publicUrl, String createData) {
        boolean browser = type == FlowType.BROWSER;
        List<UiNode> nodes = new ArrayList<>();
        nodes.add(UiNode.input("passkey", "passkey_create_data", "hidden", createData, null));
        nodes.add(trigger(UiNode.input("passkey", "passkey_register_trigger", "button", "",
                UiText.label(1040007, "Sign up with passkey")), "onclick", "oryPasskeyRegistration", browser));
        if (browser) {
            nodes.add(script(publicUrl));
        }
        nodes.add(UiNode.input("passkey", "passkey_register", "hidden", null, null));
        return nodes;
    }

    /** Settings: one remove button per passkey, then "Add passkey". */
    List<UiNode> settings(FlowType type, String publicUrl, List<WebAuthnStore.Credential> passkeys,
                          String creationOptions) {
        boolean browser = type == FlowType.BROWSER;
        List<UiNode> nodes = new ArrayList<>();
        for (WebAuthnStore.Credential passkey : passkeys) {
            nodes.add(UiNode.input("passkey", "passkey_remove", "submit", HexFormat.of().formatHex(passkey.credentialId()),
                    new UiText(1050020, "info", "Remove passkey \"" + passkey.displayName() + "\"", context(passkey))));
        }
        if (browser) {
            nodes.add(script(publicUrl));
        }
        nodes.add(trigger(UiNode.input("passkey", "passkey_register_trigger", "button", "",
                UiText.label(1050019, "Add passkey")), "onclick", "oryPasskeySettingsRegistration", browser));
        nodes.add(UiNode.input("passkey", "passkey_settings_register", "hidden", null, null));
        nodes.add(UiNode.input("passkey", "passkey_create_data", "hidden", creationOptions, null));
        return nodes;
    }

    /** Kratos's label context ({@code display_name}, {@code added_at}, {@code added_at_unix}) and when it was last used. */
    public static Map<String, Object> context(WebAuthnStore.Credential passkey) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("display_name", passkey.displayName());
        context.put("added_at", DateTimeFormatter.ISO_INSTANT.format(passkey.createdAt()));
        context.put("added_at_unix", passkey.createdAt().getEpochSecond());
        if (passkey.lastUsedAt() != null) {
            context.put("last_used_at", DateTimeFormatter.ISO_INSTANT.format(passkey.lastUsedAt()));
        }
        return context;
    }

    /** The node that loads {@code webauthn.js}, with its integrity (browser flows). */
    public UiNode script(String publicUrl) {
        return UiNode.script("webauthn", "webauthn_script", publicUrl + SCRIPT_PATH, integrity,
                UUID.randomUUID().toString());
    }

    /** {@code <event>Trigger: name}, and for browser flows the legacy {@code <event>: "window.name()"}. */
    public static UiNode trigger(UiNode node, String event, String function, boolean browser) {
        node.attribute(event + "Trigger", function);
        if (browser) {
            node.attribute(event, "window." + function + "()");
        }
        return node;
    }

    /** Subresource integrity of the script as served: {@code sha512-<base64>}. */
    private static String integrityOf(String resource) {
        try (InputStream in = PasskeyNodes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512")
                    .digest(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
