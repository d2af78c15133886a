package dev.iris.selfservice.settings;

import dev.iris.http.FlowAnswers;
import dev.iris.http.FormBody;
import dev.iris.http.JsonBody;
import dev.iris.http.Requests;

import dev.iris.http.CsrfTokens;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowType;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.flow.Submission;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

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
    private final FlowAnswers answers;

    public SettingsResource(SettingsFlowService settings, FlowAnswers answers) {
        this.settings = settings;
        this.answers = answers;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a settings flow for the session in X-Session-Token")
    public Uni<FlowView> createApi(@Context HttpServerRequest request) {
        return settings.create(FlowType.API, request.absoluteURI(), Requests.sessionToken(request), null);
    }

    /**
     * A browser (not an SPA) that may not use settings as it is goes where it can fix that: a fresh login when the
     * session is too old, the second factor when AAL2 is missing, the login page without a session.
     */
    @GET
    @Path("/browser")
    @Operation(summary = "Create a settings flow for the browser's session: 303 to the UI (JSON for SPAs)")
    public Uni<Response> createBrowser(@Context HttpServerRequest request) {
        FlowAnswers.BrowserCsrf browser = answers.browserCsrf(request);
        return settings.create(FlowType.BROWSER, request.absoluteURI(), answers.sessionToken(request), browser.value())
                .map(view -> answers.created(request, view, browser, FlowKind.SETTINGS.path()))
                .onFailure().recoverWithUni(failure -> FlowAnswers.wantsJson(request)
                        ? Uni.createFrom().failure(failure) : answers.sentOn(failure, FlowKind.SETTINGS, null));
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a settings flow (only its own identity, and for browsers only its own browser)")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        return settings.fetch(Requests.flowId(id), answers.sessionToken(request),
                        Requests.cookie(request, CsrfTokens.COOKIE))
                .map(view -> answers.fetched(view, request));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a settings flow: link/unlink TOTP, generate/confirm/disable backup codes")
    @RequestBody(content = @Content(schema = @Schema(implementation = SettingsSubmission.class)))
    public Uni<Response> submitJson(@QueryParam("flow") String flow, Map<String, Object> body,
                                    @Context HttpServerRequest request) {
        return submit(flow, JsonBody.submission(body), JsonBody.csrfToken(body), request, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a settings flow as a form (answers 303 to the settings page)")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        return submit(flow, fields.submission(), fields.get("csrf_token"), request, true);
    }

    /** A form post refused as a whole (no session, too old, a CSRF violation) is sent on, like a browser above. */
    private Uni<Response> submit(String flowParam, Submission submission, String csrfToken,
                                 HttpServerRequest request, boolean form) {
        UUID id = Requests.flowId(flowParam);
        SubmitContext context = answers.context(request, csrfToken, form);
        return Detached.of(settings.submit(id, submission, context))
                .map(result -> answers.answer(result, FlowKind.SETTINGS, id, context))
                .onFailure().recoverWithUni(failure -> answers.refused(failure, FlowKind.SETTINGS, id, context));
    }
}