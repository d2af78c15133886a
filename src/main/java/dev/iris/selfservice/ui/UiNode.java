package dev.iris.selfservice.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** One Kratos ui node: {@code {type, group, attributes, messages, meta}}. */
public record UiNode(String type, String group, Map<String, Object> attributes, List<UiText> messages,
                     Map<String, Object> meta) {

    public static UiNode input(String group, String name, String inputType, String value, UiText label) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("name", name);
        attributes.put("type", inputType);
        if (value != null) {
            attributes.put("value", value);
        }
        attributes.put("disabled", false);
        attributes.put("node_type", "input");
        Map<String, Object> meta = label == null ? Map.of() : Map.of("label", label);
        return new UiNode("input", group, attributes, new ArrayList<>(), meta);
    }

    /** An image node, e.g. the TOTP QR code ({@code src} is a data URI). */
    public static UiNode image(String group, String id, String src, UiText label) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("src", src);
        attributes.put("id", id);
        attributes.put("width", 256);
        attributes.put("height", 256);
        attributes.put("node_type", "img");
        return new UiNode("img", group, attributes, new ArrayList<>(), Map.of("label", label));
    }

    /** A text node, e.g. the TOTP secret or the backup codes shown once. */
    public static UiNode text(String group, String id, UiText text, UiText label) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("text", text);
        attributes.put("id", id);
        attributes.put("node_type", "text");
        return new UiNode("text", group, attributes, new ArrayList<>(), label == null ? Map.of() : Map.of("label", label));
    }

    /** An anchor node (Kratos's {@code a}), e.g. "Continue" after a verification. */
    public static UiNode anchor(String group, String id, String href, UiText title) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("id", id);
        attributes.put("href", href);
        attributes.put("title", title);
        attributes.put("node_type", "a");
        return new UiNode("a", group, attributes, new ArrayList<>(), Map.of("label", title));
    }

    /** A script node (Kratos's {@code script}), e.g. {@code webauthn.js} for the passkey buttons. */
    public static UiNode script(String group, String id, String src, String integrity, String nonce) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("src", src);
        attributes.put("async", true);
        attributes.put("referrerpolicy", "no-referrer");
        attributes.put("crossorigin", "anonymous");
        attributes.put("integrity", integrity);
        attributes.put("type", "text/javascript");
        attributes.put("id", id);
        attributes.put("nonce", nonce);
        attributes.put("node_type", "script");
        return new UiNode("script", group, attributes, new ArrayList<>(), Map.of());
    }

    /** The node's {@code name}, or for img/text nodes its {@code id}. */
    public String key() {
        Object name = attributes.get("name");
        return name != null ? (String) name : (String) attributes.get("id");
    }

    public UiNode required() {
        attributes.put("required", true);
        return this;
    }

    public UiNode autocomplete(String value) {
        attributes.put("autocomplete", value);
        return this;
    }

    public UiNode attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    public UiNode message(UiText text) {
        messages.add(text);
        return this;
    }

    /**
     * A copy whose ui texts (messages, {@code meta.label}, the {@code title} and {@code text} attributes) are
     * {@code translate}d; everything else as it is.
     */
    public UiNode withTexts(UnaryOperator<UiText> translate) {
        Map<String, Object> copiedAttributes = new LinkedHashMap<>(attributes);
        copiedAttributes.replaceAll((key, value) -> value instanceof UiText text ? translate.apply(text) : value);
        Map<String, Object> copiedMeta = new LinkedHashMap<>(meta);
        copiedMeta.replaceAll((key, value) -> value instanceof UiText text ? translate.apply(text) : value);
        return new UiNode(type, group, copiedAttributes,
                new ArrayList<>(messages.stream().map(translate).toList()), copiedMeta);
    }

    public String name() {
        return (String) attributes.get("name");
    }
}
