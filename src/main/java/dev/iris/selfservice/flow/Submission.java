package dev.iris.selfservice.flow;

import dev.iris.support.ApiException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A submitted self-service form, whichever way it came (JSON or a form post): the {@code method} it names and its
 * other fields by their form name ({@code identifier}, {@code traits.email}, {@code code}, {@code totp_code},
 * {@code lookup_secret_confirm} …; flags as {@code "true"}). Methods read the fields they know.
 */
public record Submission(String method, Map<String, String> fields) {

    /** Longer than any legitimate field: answered 400 before any work. */
    static final int MAX_FIELD = 512;

    /** Longer than any WebAuthn response a browser sends (an RSA key with extensions stays far below). */
    static final int MAX_DOCUMENT = 16_384;

    public Submission {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A submission from {@code method} and alternating field names and values (null values are left out). */
    public static Submission of(String method, String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return new Submission(method, fields);
    }

    /**
     * The field, or null when it was not sent. A field far too long to be legitimate is refused (400) when a method
     * reads it; fields no method reads (SDKs add their own) are never looked at.
     */
    public String field(String name) {
        String value = fields.get(name);
        if (value != null && value.length() > MAX_FIELD) {
            throw ApiException.badRequest("A field of the request is too long.");
        }
        return value;
    }

    /** The field, or null when it was not sent or is blank. */
    public String present(String name) {
        String value = field(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A field holding a JSON document a script made (a WebAuthn response: a few KB), or null when it was not sent or
     * is blank; longer than {@link #MAX_DOCUMENT} is refused (400).
     */
    public String document(String name) {
        String value = fields.get(name);
        if (value != null && value.length() > MAX_DOCUMENT) {
            throw ApiException.badRequest("A field of the request is too long.");
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** True when the field was sent and is not blank (its length is not looked at). */
    public boolean has(String name) {
        String value = fields.get(name);
        return value != null && !value.isBlank();
    }

    /** A form flag ({@code "true"} / JSON {@code true}). */
    public boolean flag(String name) {
        String value = field(name);
        return value != null && Boolean.parseBoolean(value.strip());
    }

    public boolean names(String methodId) {
        return methodId.equals(method);
    }

    /** 400 for a missing body or a {@code method} far too long; the submission otherwise. */
    public static Submission checked(Submission submission) {
        if (submission == null) {
            throw ApiException.badRequest("A JSON body is required.");
        }
        if (submission.method() != null && submission.method().length() > MAX_FIELD) {
            throw ApiException.badRequest("A field of the request is too long.");
        }
        return submission;
    }
}
