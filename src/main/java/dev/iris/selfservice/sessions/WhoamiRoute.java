package dev.iris.selfservice.sessions;

import dev.iris.http.Requests;

import dev.iris.config.IrisConfig;
import dev.iris.session.SessionService;
import dev.iris.session.SessionTokenizer;
import dev.iris.support.ApiException;
import dev.iris.http.ErrorBody;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /sessions/whoami} — the hot path (internal callers check sessions on most requests) — served by a
 * plain Vert.x route in front of the REST layer: one Redis GET and the pre-rendered JSON, nothing else. The
 * answers are the documented contract (200 + {@code X-Kratos-Authenticated-Identity-Id}, 401 {@code session_inactive});
 * {@code HEAD} gets the same status and headers without the body. {@code ?tokenize_as=<template>} adds
 * {@code tokenized}, the session as a signed JWT ({@link SessionTokenizer}; 400 for an unknown template). Its OpenAPI description is the static fragment
 * {@code META-INF/openapi.yaml}, which Quarkus merges into {@code /q/openapi}.
 */
@Singleton
public class WhoamiRoute {

    private final SessionService sessions;
    private final SessionTokenizer tokenizer;
    private final String cookieName;

    public WhoamiRoute(SessionService sessions, SessionTokenizer tokenizer, IrisConfig config) {
        this.sessions = sessions;
        this.tokenizer = tokenizer;
        this.cookieName = config.session().cookieName();
    }

    void install(@Observes Router router) {
        router.route("/sessions/whoami").method(HttpMethod.GET).method(HttpMethod.HEAD).order(-10)
                .handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String template = request.getParam("tokenize_as");
        io.vertx.core.Context requestContext = context.vertx().getOrCreateContext();
        sessions.whoami(Requests.sessionToken(request, cookieName))
                .chain(entry -> template == null || template.isEmpty()
                        ? Uni.createFrom().item(new Answer(entry.identityId().toString(), entry.json()))
                        : tokenizer.tokenize(template, entry.json())
                        // signed on a worker thread: the answer is written back on the request's event loop
                        .emitOn(command -> requestContext.runOnContext(ignored -> command.run()))
                        .map(jwt -> new Answer(entry.identityId().toString(), withToken(entry.json(), jwt))))
                .subscribe().with(
                        answer -> context.response()
                                .putHeader("Content-Type", "application/json")
                                .putHeader("Cache-Control", "private, no-store")
                                .putHeader("X-Kratos-Authenticated-Identity-Id", answer.identityId())
                                .end(answer.json()),
                        failure -> fail(context, failure));
    }

    private record Answer(String identityId, String json) {
    }

    /** Kratos's {@code tokenized}: the compact JWT (base64url and dots, nothing to escape) added to the session. */
    private static String withToken(String sessionJson, String jwt) {
        int end = sessionJson.lastIndexOf('}');
        return sessionJson.substring(0, end) + ",\"tokenized\":\"" + jwt + "\"}";
    }

    private static void fail(RoutingContext context, Throwable failure) {
        if (failure instanceof ApiException api) {
            ErrorBody.write(context.response(), api);
            return;
        }
        Log.warnf("whoami failed: %s", failure.getClass().getSimpleName());
        ErrorBody.write(context.response(), ErrorBody.serviceUnavailable());
    }
}
