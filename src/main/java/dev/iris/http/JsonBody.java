package dev.iris.http;

import dev.iris.selfservice.flow.Submission;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON flow submission read the way forms are, so every method finds its fields by their form names whichever
 * way they came: scalars by their key ({@code "identifier"}), one level of object by dotted keys
 * ({@code "traits": {"email"}} → {@code traits.email}), numbers and booleans as their text. Anything deeper, and
 * arrays, are no field of any method and are left out — unknown fields are ignored, as SDKs add their own.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body as a submission ({@code null} for no body: the flow service answers 400); {@code csrf_token} aside. */
    public static Submission submission(Map<String, Object> body) {
        if (body == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        body.forEach((name, value) -> {
            if (value instanceof Map<?, ?> nested) {
                nested.forEach((inner, innerValue) -> put(fields, name + "." + inner, innerValue));
            } else {
                put(fields, name, value);
            }
        });
        String method = fields.remove("method");
        fields.remove("csrf_token");
        return new Submission(method, fields);
    }

    /** The form token of a JSON body, or null. */
    public static String csrfToken(Map<String, Object> body) {
        Object token = body == null ? null : body.get("csrf_token");
        return token instanceof String text ? text : null;
    }

    private static void put(Map<String, String> fields, String name, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            fields.put(name, value.toString());
        }
    }
}
