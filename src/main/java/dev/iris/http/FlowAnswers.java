package dev.iris.http;

import dev.iris.config.IrisConfig;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowResult;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.support.ApiException;
import dev.iris.support.SelfServiceUrls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place a flow's outcome becomes HTTP, for login, registration and settings alike: status, body, cookies
 * and redirects — JSON for api clients and SPAs (browser flows with their {@code csrf_token} node), 303 redirects
 * for browser form posts (to the flow's page, or on success to where the browser goes next, with the session
 * cookie). Flow services decide what happened; only this class decides how it is said.
 */
@Singleton
public class FlowAnswers {

    private final CsrfTokens csrf;
    private final ReturnUrls returnUrls;
    private final ClientIpResolver clients;
    private final Cookies cookies;
    private final SelfServiceUrls urls;
    private final SelfServiceErrors errors;
    private final String sessionCookie;

    public FlowAnswers(CsrfTokens csrf, ReturnUrls returnUrls, ClientIpResolver clients, Cookies cookies,
                       SelfServiceUrls urls, SelfServiceErrors errors, IrisConfig config) {
        this.errors = errors;
        this.csrf = csrf;
        this.returnUrls = returnUrls;
        this.clients = clients;
        this.cookies = cookies;
        this.urls = urls;
        this.sessionCookie = config.session().cookieName();
    }

    /** The browser's CSRF cookie value, or a new one ({@code fresh}) the answer must set. */
    public record BrowserCsrf(String value, boolean fresh) {
    }

    /** Get-or-create of the CSRF cookie, for every endpoint that starts or shows a browser flow. */
    public BrowserCsrf browserCsrf(HttpServerRequest request) {
        String existing = Requests.cookie(request, CsrfTokens.COOKIE);
        return existing != null ? new BrowserCsrf(existing, false) : new BrowserCsrf(csrf.newCookieValue(), true);
    }

    /** The {@code Set-Cookie} value a fresh CSRF cookie needs, or null when the browser has it already. */
    public String setCookie(BrowserCsrf browser) {
        return browser.fresh() ? cookies.csrf(browser.value()) : null;
    }

    /** The session token presented: {@code X-Session-Token}, {@code Authorization: Bearer}, or the cookie. */
    public String sessionToken(HttpServerRequest request) {
        return Requests.sessionToken(request, sessionCookie);
    }

    /** A browser flow just created: the flow with its {@code csrf_token} node for SPAs, else 303 to its page. */
    public Response created(HttpServerRequest request, FlowView view, BrowserCsrf browser, String path) {
        Response.ResponseBuilder answer = wantsJson(request)
                ? Response.ok(view.withCsrfToken(csrf.formToken(browser.value())), MediaType.APPLICATION_JSON)
                : Response.seeOther(urls.page(path, view.id()));
        if (browser.fresh()) {
            answer.header("Set-Cookie", setCookie(browser));
        }
        return answer.build();
    }

    /**
     * A browser flow that cannot start because the browser is signed in already: a browser (not an SPA) goes where
     * it would have gone after signing in — the allowed {@code return_to}, else the default return URL — as Kratos
     * answers; SPAs get the 400 {@code session_already_available}. Any other refusal (a {@code return_to} that is not
     * allowed) sends a browser to the error page, never to raw JSON.
     */
    public Uni<Response> notStarted(Throwable failure, HttpServerRequest request, FlowKind kind, String returnTo) {
        if (wantsJson(request)) {
            return Uni.createFrom().failure(failure);
        }
        return failure instanceof ApiException refused && "session_already_available".equals(refused.id())
                ? seeOther(returnUrls.target(returnUrls.check(returnTo)))
                : sentOn(failure, kind, null);
    }

    /** A fetched flow: browser flows carry the {@code csrf_token} that belongs to the browser's cookie. */
    public FlowView fetched(FlowView view, HttpServerRequest request) {
        return view.type() == FlowType.BROWSER
                ? view.withCsrfToken(csrf.formToken(Requests.cookie(request, CsrfTokens.COOKIE))) : view;
    }

    /** Who submits: see {@link SubmitContext}; {@code form}: the body was a form (a post unless JSON is asked for). */
    public SubmitContext context(HttpServerRequest request, String csrfToken, boolean form) {
        boolean looksLikeBrowser = request.getHeader("Origin") != null || request.getHeader("Cookie") != null;
        return new SubmitContext(clients.client(request), Requests.cookie(request, CsrfTokens.COOKIE), csrfToken,
                looksLikeBrowser, sessionToken(request), form && !wantsJson(request));
    }

    /**
     * The answer to a submission of the flow {@code id}. A form post that shows the flow again goes back to the
     * flow's page: for browser flows, for every settings flow (its form posts come from the settings page), and for
     * a browser that posted an api flow's emailed link (the confirmation page) — never raw JSON in a browser.
     */
    public Response answer(FlowResult result, FlowKind kind, UUID id, SubmitContext context) {
        boolean formPost = context.formPost();
        if (result instanceof FlowResult.Success success) {
            Response.ResponseBuilder answer = formPost && success.browser()
                    ? Response.seeOther(URI.create(success.returnTo()))
                    : json(200, successBody(success));
            return withSession(answer, success.browser() ? success.sessionToken() : null);
        }
        if (result instanceof FlowResult.BrowserLocationChange next) {
            Map<String, Object> error = ErrorBody.of(422, "browser_location_change_required",
                    "In order to complete this flow please redirect the browser to: " + next.next());
            error.put("redirect_browser_to", next.next());
            Response.ResponseBuilder answer = formPost ? Response.seeOther(URI.create(next.next())) : json(422, error);
            return withSession(answer, next.sessionToken());
        }
        FlowView view = result instanceof FlowResult.Form form ? form.view() : ((FlowResult.Updated) result).view();
        int status = result instanceof FlowResult.Form ? 400 : 200;
        if (formPost && (view.type() == FlowType.BROWSER || kind == FlowKind.SETTINGS || context.looksLikeBrowser())) {
            return Response.seeOther(urls.page(kind.path(), id)).build();
        }
        return view.type() == FlowType.BROWSER
                ? json(status, view.withCsrfToken(csrf.formToken(context.csrfCookie()))).build()
                : json(status, view).build();
    }


    /**
     * Where a browser (not an SPA) goes when a page or form it used cannot be answered as is, as Kratos sends it:
     * to the URL the error names (a fresh login, the second factor); to the login page without a session; back to
     * the flow's page when a rate limit refused the post (the flow holds the wait); to the fresh flow that replaces an
     * expired one; else to the UI's error page with the error kept under an id ({@code /self-service/errors?id=}).
     * {@code id}: the flow posted to, or null.
     */
    public Uni<Response> sentOn(Throwable failure, FlowKind kind, UUID id) {
        if (!(failure instanceof ApiException refused)) {
            return Uni.createFrom().failure(failure);
        }
        Object next = refused.extra().get("redirect_browser_to");
        Object fresh = refused.extra().get("use_flow_id");
        if (next != null) {
            return seeOther(next.toString());
        }
        if ("session_already_available".equals(refused.id())) {
            // Signed in already (a recovery): where a sign-in would have sent the browser, as Kratos does.
            return seeOther(returnUrls.target(null));
        }
        if (refused.status() == 401) {
            return seeOther(urls.ui("login"));
        }
        if (refused.status() == 429 && id != null) {
            return seeOther(urls.page(kind.path(), id).toString());
        }
        if (refused.status() == 410 && fresh != null) {
            return seeOther(urls.page(kind.path(), UUID.fromString(fresh.toString())).toString());
        }
        return errors.keep(refused).chain(kept -> seeOther(urls.ui("error?id=" + kept)));
    }

    /** A submission refused as a whole: browsers' form posts are sent on ({@link #sentOn}), the rest get the error. */
    public Uni<Response> refused(Throwable failure, FlowKind kind, UUID id, SubmitContext context) {
        return context.formPost() ? sentOn(failure, kind, id) : Uni.createFrom().failure(failure);
    }

    private static Uni<Response> seeOther(String target) {
        return Uni.createFrom().item(Response.seeOther(URI.create(target)).build());
    }

    /**
     * Api clients get the session token in the body; browsers get it only as the cookie, and a
     * {@code continue_with} telling an SPA where to go.
     */
    private static Map<String, Object> successBody(FlowResult.Success success) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (success.identity() != null) {
            body.put("identity", success.identity());
        }
        if (!success.browser() && success.sessionToken() != null) {
            body.put("session_token", success.sessionToken());
        }
        if (success.session() != null) {
            body.put("session", success.session());
        }
        if (success.browser()) {
            body.put("continue_with", List.of(Map.of("action", "redirect_browser_to",
                    "redirect_browser_to", success.returnTo())));
        }
        return body;
    }

    private Response withSession(Response.ResponseBuilder answer, String sessionToken) {
        if (sessionToken != null) {
            answer.header("Set-Cookie", cookies.session(sessionToken));
        }
        return answer.build();
    }

    private static Response.ResponseBuilder json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
    }

    public static boolean wantsJson(HttpServerRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json");
    }
}
