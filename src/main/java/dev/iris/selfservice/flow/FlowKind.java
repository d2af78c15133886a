package dev.iris.selfservice.flow;

import dev.iris.selfservice.ui.UiText;

/** Which self-service flow this is; decides paths, the address field and message ids. */
public enum FlowKind {
    LOGIN("login", "identifier", 4010001),
    REGISTRATION("registration", "traits.email", 4040001),
    /** Settings (second factor); it has no address field. */
    SETTINGS("settings", null, 4010001);

    private final String path;
    private final String addressField;
    private final long noStrategyMessage;

    FlowKind(String path, String addressField, long noStrategyMessage) {
        this.path = path;
        this.addressField = addressField;
        this.noStrategyMessage = noStrategyMessage;
    }

    /** Path segment: {@code /self-service/<path>} and the UI page {@code /<path>}. */
    public String path() {
        return path;
    }

    /** The form field holding the email address. */
    public String addressField() {
        return addressField;
    }

    /** No method of this flow matches the submission (Kratos's "could not find a strategy"). */
    public UiText noStrategy() {
        String what = this == LOGIN ? "log you in" : "sign you up";
        return new UiText(noStrategyMessage, "error",
                "Could not find a strategy to " + what + " with. Did you fill out the form correctly?", null);
    }
}
