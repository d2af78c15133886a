package dev.iris.selfservice.flow;

import com.fasterxml.jackson.annotation.JsonValue;

public enum FlowState {
    CHOOSE_METHOD, SENT_EMAIL, PASSED_CHALLENGE, SHOW_FORM, SUCCESS;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
