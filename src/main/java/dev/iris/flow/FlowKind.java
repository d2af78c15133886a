package dev.iris.flow;

/** Which self-service flow this is; decides paths and message ids. */
public enum FlowKind {
    LOGIN("login"), REGISTRATION("registration");

    private final String path;

    FlowKind(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
