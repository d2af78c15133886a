package dev.iris.selfservice.flow;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a flow stands, and the one transition function (Kratos's {@code flow/state.go}): login and registration
 * go {@code choose_method → sent_email → passed_challenge} (an {@code aal=aal2} login skips the email), settings
 * {@code show_form → success}. A transition not in the table is a bug and throws.
 */
public enum FlowState {
    CHOOSE_METHOD, SENT_EMAIL, PASSED_CHALLENGE, SHOW_FORM, SUCCESS;

    /** What moves a flow on. */
    public enum Event {
        /** A code was sent (or re-sent; or silently not, the address's quota spent). */
        EMAIL_SENT,
        /** The challenge (code, link, second factor) was passed. */
        CHALLENGE_PASSED,
        /** A settings change was saved. */
        SAVED
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /**
     * The state after {@code event}. A resend after a passed challenge is allowed (the flow shows "sent" again; the
     * consumed code stays consumed), as is a further settings change after a success.
     */
    public FlowState after(Event event) {
        FlowState next = switch (event) {
            case EMAIL_SENT -> this == SHOW_FORM || this == SUCCESS ? null : SENT_EMAIL;
            case CHALLENGE_PASSED -> this == CHOOSE_METHOD || this == SENT_EMAIL || this == PASSED_CHALLENGE
                    ? PASSED_CHALLENGE : null;
            case SAVED -> this == SHOW_FORM || this == SUCCESS ? SUCCESS : null;
        };
        if (next == null) {
            throw new IllegalStateException("No transition from " + this + " on " + event);
        }
        return next;
    }
}
