package dev.iris.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public String name() {
        return (String) attributes.get("name");
    }
}
