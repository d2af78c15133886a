package dev.iris.selfservice.flow;

/** Which self-service flow this is; decides paths, the address field and message ids. */
public enum FlowKind {
    LOGIN("login", "identifier", 1010014, 4010008, 4010001),
    REGISTRATION("registration", "traits.email", 1040005, 4040003, 4040001),
    /** Settings (second factor); it has no address field and sends no code. */
    SETTINGS("settings", null, 0, 0, 4010001);

    private final String path;
    private final String addressField;
    private final long codeSentMessage;
    private final long codeInvalidMessage;
    private final long noStrategyMessage;

    FlowKind(String path, String addressField, long codeSentMessage, long codeInvalidMessage,
             long noStrategyMessage) {
        this.path = path;
        this.addressField = addressField;
        this.codeSentMessage = codeSentMessage;
        this.codeInvalidMessage = codeInvalidMessage;
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

    public long codeSentMessage() {
        return codeSentMessage;
    }

    public long codeInvalidMessage() {
        return codeInvalidMessage;
    }

    public long noStrategyMessage() {
        return noStrategyMessage;
    }
}
