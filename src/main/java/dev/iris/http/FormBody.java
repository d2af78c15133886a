package dev.iris.http;

import dev.iris.selfservice.flow.Submission;
import dev.iris.support.ApiException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, decoded here rather than by RESTEasy's {@code @RestForm}:
 * its parser throws on malformed percent-encoding ({@code identifier=%ZZ}) inside a Vert.x end-of-body handler,
 * where nothing answers the request and the connection hangs until the client gives up. Here such a body is a
 * 400 {@code bad_request}. A name given twice keeps its first value, as {@code @RestForm} did.
 */
public final class FormBody {

    private final Map<String, String> fields;

    private FormBody(Map<String, String> fields) {
        this.fields = fields;
    }

    public static FormBody parse(String body) {
        Map<String, String> fields = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                fields.putIfAbsent(name, value);
            }
        }
        return new FormBody(fields);
    }

    /** The form as a flow submission: {@code method}, and every other field but {@code csrf_token}. */
    public Submission submission() {
        Map<String, String> rest = new LinkedHashMap<>(fields);
        rest.remove("method");
        rest.remove("csrf_token");
        return new Submission(fields.get("method"), rest);
    }

    /** The field's value, or null when the form does not have it. */
    public String get(String name) {
        return fields.get(name);
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw ApiException.badRequest("The form body is not valid application/x-www-form-urlencoded.");
        }
    }
}
