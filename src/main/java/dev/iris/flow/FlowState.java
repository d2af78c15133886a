package dev.iris.flow;

import com.fasterxml.jackson.annotation.JsonValue;

public enum FlowState {
    CHOOSE_METHOD, SENT_EMAIL, PASSED_CHALLENGE;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
