package dev.iris.selfservice.flow;

import com.fasterxml.jackson.annotation.JsonValue;

/** {@code api} for native apps and servers (no cookies, no CSRF); {@code browser} later. */
public enum FlowType {
    API, BROWSER;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
