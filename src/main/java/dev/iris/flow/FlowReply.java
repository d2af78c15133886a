package dev.iris.flow;

/** What a flow operation answers: an HTTP status and the JSON body (a flow, or a success object). */
public record FlowReply(int status, Object body) {
}
