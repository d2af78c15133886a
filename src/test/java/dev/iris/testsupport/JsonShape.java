package dev.iris.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reduces a JSON document to its shape: per-request values (ids, timestamps, URLs, the address) become markers. */
public final class JsonShape {

    private static final Set<String> VARYING = Set.of("id", "expires_at", "issued_at", "created_at", "updated_at",
            "action", "request_url", "use_flow_id", "resend_at");

    private JsonShape() {
    }

    @SuppressWarnings("unchecked")
    public static Object of(Object json) {
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> shape = new LinkedHashMap<>();
            boolean identifierNode = "identifier".equals(map.get("name")) || "traits.email".equals(map.get("name"))
                    || "email".equals(map.get("name"));
            map.forEach((k, v) -> {
                String key = (String) k;
                if (VARYING.contains(key) && !(v instanceof Map) && !(v instanceof List) && !isMessageId(map, key)) {
                    shape.put(key, "<varies>");
                } else if (identifierNode && key.equals("value")) {
                    shape.put(key, "<address>");
                } else {
                    shape.put(key, of(v));
                }
            });
            return shape;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(JsonShape::of).toList();
        }
        return json;
    }

    /** Message ids ({@code ui.messages[].id}) are part of the contract and must stay equal. */
    private static boolean isMessageId(Map<?, ?> map, String key) {
        return key.equals("id") && map.containsKey("text");
    }
}
