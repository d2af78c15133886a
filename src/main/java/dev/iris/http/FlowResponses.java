package dev.iris.http;

import dev.iris.support.Detached;
import dev.iris.config.IrisConfig;
import dev.iris.selfservice.login.CodeFlowService;
import dev.iris.selfservice.flow.CodeSubmission;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowReply;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.selfservice.ui.UiText;
import dev.iris.support.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side of login and registration flows shared by both resources: browser flow creation (303 to the
 * UI, or JSON for SPAs), CSRF cookies, and how a submission's outcome becomes an answer — JSON for api
 * clients and SPAs, 303 redirects (with the session cookie on success) for browser form posts.
 */
@Singleton
public class FlowResponses {

    private final CodeFlowService flows;
    private final CsrfTokens csrf;
    private final ClientIpResolver clients;
    private final Cookies cookies;
    private final IrisConfig config;

    public FlowResponses(CodeFlowService flows, CsrfTokens csrf, ClientIpResolver clients, Cookies cookies,
                         IrisConfig config) {
        this.flows = flows;
        this.csrf = csrf;
        this.clients = clients;
        this.cookies = cookies;
        this.config = config;
    }

    public Uni<Response> createBrowser(FlowKind kind, HttpServerRequest request, String returnTo, boolean refresh,
                                       String aal) {
        String existing = cookieValue(request, CsrfTokens.COOKIE);
        String csrfCookie = existing != null ? existing : csrf.newCookieValue();
        return flows.createBrowser(kind, request.absoluteURI(), returnTo, refresh, aal,
                        Requests.sessionToken(request, config.session().cookieName()), csrfCookie)
                .map(view -> created(request, view, existing, csrfCookie, pageUri(kind, view.id())));
    }

    /**
     * A browser flow just created: the flow with its {@code csrf_token} node for SPAs, else 303 to its page; the
     * CSRF cookie is set when the browser had none ({@code existing}).
     */
    public Response created(HttpServerRequest request, FlowView view, String existing, String csrfCookie, URI page) {
        Response.ResponseBuilder answer = wantsJson(request)
                ? Response.ok(view.withCsrfToken(csrf.formToken(csrfCookie)), MediaType.APPLICATION_JSON)
                : Response.seeOther(page);
        if (existing == null) {
            answer.header("Set-Cookie", cookies.csrf(csrfCookie));
        }
        return answer.build();
    }

    /** Who submits (client, CSRF cookie and form token, browser-ness, session token): see {@link SubmitContext}. */
    public SubmitContext context(HttpServerRequest request, String csrfToken) {
        boolean looksLikeBrowser = request.getHeader("Origin") != null || request.getHeader("Cookie") != null;
        return new SubmitContext(clients.client(request), cookieValue(request, CsrfTokens.COOKIE), csrfToken,
                looksLikeBrowser, Requests.sessionToken(request, config.session().cookieName()));
    }

    public Uni<FlowView> fetch(FlowKind kind, UUID id, HttpServerRequest request) {
        String csrfCookie = cookieValue(request, CsrfTokens.COOKIE);
        return flows.fetch(kind, id, csrfCookie).map(view -> view.type() == FlowType.BROWSER
                ? view.withCsrfToken(csrf.formToken(csrfCookie)) : view);
    }

    public Uni<Response> submit(FlowKind kind, String flowParam, CodeSubmission body, String csrfToken,
                                HttpServerRequest request, boolean form) {
        UUID id = Requests.flowId(flowParam);
        SubmitContext context = context(request, csrfToken);
        String csrfCookie = context.csrfCookie();
        boolean formPost = form && !wantsJson(request);
        return Detached.of(flows.submit(kind, id, body, context)
                        .chain(reply -> answer(kind, id, reply, formPost, csrfCookie)))
                .onFailure(ApiException.class).recoverWithUni(failure ->
                        formPost ? formFailure(kind, id, (ApiException) failure)
                                : Uni.createFrom().failure(failure));
    }

    private Uni<Response> answer(FlowKind kind, UUID id, FlowReply reply, boolean formPost, String csrfCookie) {
        if (reply.returnTo() != null) {
            Response.ResponseBuilder answer = formPost ? Response.seeOther(URI.create(reply.returnTo()))
                    : Response.status(reply.status()).type(MediaType.APPLICATION_JSON).entity(reply.body());
            if (reply.sessionToken() != null) {
                answer.header("Set-Cookie", cookies.session(reply.sessionToken()));
            }
            return Uni.createFrom().item(answer.build());
        }
        if (reply.body() instanceof FlowView view && view.type() == FlowType.BROWSER) {
            if (formPost) {
                return flows.remember(kind, id, view.allMessages()).replaceWith(Response.seeOther(pageUri(kind, id))
                        .build());
            }
            return Uni.createFrom().item(json(reply.status(), view.withCsrfToken(csrf.formToken(csrfCookie))));
        }
        return Uni.createFrom().item(json(reply.status(), reply.body()));
    }

    /** A browser form post refused as a whole: a rate limit goes back to the page as a message; the rest (a CSRF
     * violation: 403) is answered as is. */
    private Uni<Response> formFailure(FlowKind kind, UUID id, ApiException failure) {
        if (failure.status() == 429) {
            Object seconds = failure.extra().getOrDefault("retry_after_seconds", "a few");
            UiText wait = new UiText(4000099, "error", "Please wait " + seconds
                    + " seconds before requesting another code.", Map.of("retry_after_seconds", seconds));
            return flows.remember(kind, id, List.of(wait)).replaceWith(Response.seeOther(pageUri(kind, id)).build());
        }
        return Uni.createFrom().failure(failure);
    }

    private URI pageUri(FlowKind kind, UUID id) {
        return URI.create(config.uiBaseUrl() + "/" + kind.path() + "?flow=" + id);
    }

    private static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    public static boolean wantsJson(HttpServerRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json");
    }

    public static String cookieValue(HttpServerRequest request, String name) {
        Cookie cookie = request.getCookie(name);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }
}
