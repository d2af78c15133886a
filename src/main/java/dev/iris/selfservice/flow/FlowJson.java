package dev.iris.selfservice.flow;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.iris.support.StoredJson;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flow as JSON in Redis. Rolling upgrades: releases before the method SPI kept a settings flow's pending secrets in
 * two fields of their own ({@code sealed_totp}, {@code sealed_lookup}) where this one keeps {@code pending} by
 * method id. While old and new instances share Redis (one flow lifespan), a flow written by either must keep its
 * secrets on the other: old fields are read into {@code pending}, and settings flows are written with both. Remove
 * the two legacy fields in the release after.
 */
@Singleton
public class FlowJson {

    private static final Map<String, String> LEGACY = Map.of("totp", "sealed_totp", "lookup_secret", "sealed_lookup");

    private final StoredJson json;

    public FlowJson(StoredJson json) {
        this.json = json;
    }

    public String write(Flow flow) {
        if (flow.pending().isEmpty()) {
            return json.write(flow);
        }
        StringBuilder written = new StringBuilder(json.write(flow));
        written.setLength(written.length() - 1); // the closing brace of the flow object
        LEGACY.forEach((method, field) -> {
            if (flow.pending(method) != null) {
                written.append(",\"").append(field).append("\":").append(json.write(flow.pending(method)));
            }
        });
        return written.append('}').toString();
    }

    public Flow read(String raw) {
        Flow flow = json.read(raw, Flow.class);
        if (!raw.contains("\"sealed_") || !flow.pending().isEmpty()) {
            return flow;
        }
        Map<String, Object> fields = json.read(raw, new TypeReference<Map<String, Object>>() {
        });
        Map<String, String> pending = new LinkedHashMap<>();
        LEGACY.forEach((method, field) -> {
            if (fields.get(field) instanceof String sealed) {
                pending.put(method, sealed);
            }
        });
        return pending.isEmpty() ? flow : flow.offering(pending);
    }
}
