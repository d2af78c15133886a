package dev.iris.selfservice.settings;

import dev.iris.http.FlowResponses;
import dev.iris.http.FormBody;
import dev.iris.http.Requests;

import dev.iris.config.IrisConfig;
import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.FlowReply;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.SubmitContext;
import dev.iris.support.ApiException;
import dev.iris.support.Detached;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.UUID;

/**
 * {@code /self-service/settings*}: the second factor (TOTP, backup codes). Api flows use
 * {@code X-Session-Token}; browser flows the session cookie plus a CSRF pair. Form posts answer 303 back to the
 * settings page, which shows the flow's messages.
 */
@Path("/self-service/settings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "settings")
public class SettingsResource {

    private final SettingsFlowService settings;
    private final CsrfTokens csrf;
    private final FlowResponses responses;
    private final IrisConfig config;

    public SettingsResource(SettingsFlowService settings, CsrfTokens csrf, FlowResponses responses,
                            IrisConfig config) {
        this.settings = settings;
        this.csrf = csrf;
        this.responses = responses;
        this.config = config;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a settings flow for the session in X-Session-Token")
    public Uni<FlowView> createApi(@Context HttpServerRequest request) {
        return settings.create(FlowType.API, request.absoluteURI(), Requests.sessionToken(request), null);
    }

    @GET
    @Path("/browser")
    @Operation(summary = "Create a settings flow for the browser's session: 303 to the UI (JSON for SPAs)")
    public Uni<Response> createBrowser(@Context HttpServerRequest request) {
        String existing = FlowResponses.cookieValue(request, CsrfTokens.COOKIE);
        String csrfCookie = existing != null ? existing : csrf.newCookieValue();
        return settings.create(FlowType.BROWSER, request.absoluteURI(), sessionToken(request), csrfCookie)
                .map(view -> responses.created(request, view, existing, csrfCookie, page(view.id())))
                .onFailure(ApiException.class).recoverWithUni(failure -> FlowResponses.wantsJson(request)
                        ? Uni.createFrom().failure(failure) : Uni.createFrom().item(sendOn((ApiException) failure)));
    }

    /**
     * A browser (not an SPA) that may not use settings as it is goes where it can fix that: a fresh login when the
     * session is too old, the second factor when AAL2 is missing, the login page without a session.
     */
    private Response sendOn(ApiException failure) {
        Object next = failure.extra().get("redirect_browser_to");
        String target = next != null ? next.toString()
                : failure.status() == 401 ? config.uiBaseUrl() + "/login"
                : config.uiBaseUrl() + "/error?id=" + failure.id();
        return Response.seeOther(URI.create(target)).build();
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a settings flow (only its own identity, and for browsers only its own browser)")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        String csrfCookie = FlowResponses.cookieValue(request, CsrfTokens.COOKIE);
        return settings.fetch(Requests.flowId(id), sessionToken(request), csrfCookie)
                .map(view -> view.type() == FlowType.BROWSER ? view.withCsrfToken(csrf.formToken(csrfCookie)) : view);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a settings flow: link/unlink TOTP, generate/confirm/disable backup codes")
    public Uni<Response> submitJson(@QueryParam("flow") String flow, SettingsSubmission body,
                                    @Context HttpServerRequest request) {
        return submit(flow, body, body == null ? null : body.csrfToken(), request, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a settings flow as a form (answers 303 to the settings page)")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        SettingsSubmission body = new SettingsSubmission(fields.get("method"), fields.get("totp_code"),
                flag(fields.get("totp_unlink")), flag(fields.get("lookup_secret_regenerate")),
                flag(fields.get("lookup_secret_confirm")), flag(fields.get("lookup_secret_disable")),
                fields.get("csrf_token"));
        return submit(flow, body, body.csrfToken(), request, true);
    }

    private Uni<Response> submit(String flowParam, SettingsSubmission body, String csrfToken,
                                 HttpServerRequest request, boolean form) {
        UUID id = Requests.flowId(flowParam);
        SubmitContext context = responses.context(request, csrfToken);
        String csrfCookie = context.csrfCookie();
        boolean formPost = form && !FlowResponses.wantsJson(request);
        return Detached.of(settings.submit(id, body, context)).map(reply -> answer(reply, formPost, csrfCookie))
                .onFailure(ApiException.class).recoverWithUni(failure -> formPost
                        ? Uni.createFrom().item(sendOn((ApiException) failure)) : Uni.createFrom().failure(failure));
    }

    private Response answer(FlowReply reply, boolean formPost, String csrfCookie) {
        FlowView view = (FlowView) reply.body();
        if (formPost) {
            return Response.seeOther(page(view.id())).build();
        }
        Object body = view.type() == FlowType.BROWSER ? view.withCsrfToken(csrf.formToken(csrfCookie)) : view;
        return Response.status(reply.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    private String sessionToken(HttpServerRequest request) {
        return Requests.sessionToken(request, config.session().cookieName());
    }

    private URI page(UUID id) {
        return URI.create(config.uiBaseUrl() + "/settings?flow=" + id);
    }

    private static Boolean flag(String value) {
        return value == null ? null : Boolean.valueOf(value.strip());
    }
}
