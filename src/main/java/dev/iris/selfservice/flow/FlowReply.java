package dev.iris.selfservice.flow;

/**
 * What a flow operation answers: an HTTP status and the JSON body (a flow, or a success object). On a browser
 * flow's success {@code sessionToken} is the token to put in the session cookie and {@code returnTo} where
 * the browser goes next; both are null otherwise.
 */
public record FlowReply(int status, Object body, String sessionToken, String returnTo) {

    public FlowReply(int status, Object body) {
        this(status, body, null, null);
    }
}
