package dev.iris.selfservice.login;

import dev.iris.http.FormBody;
import dev.iris.http.JsonBody;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowView;
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

/** {@code /self-service/login*}: Kratos-compatible login flows. Thin: parse, call the flow service, map. */
@Path("/self-service/login")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "login")
public class LoginResource {

    private final FirstFactorEndpoints endpoints;

    public LoginResource(FirstFactorEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a login flow for native apps and servers")
    public Uni<FlowView> createApi(@QueryParam("refresh") boolean refresh, @QueryParam("aal") String aal,
                                   @QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createApi(FlowKind.LOGIN, request, returnTo, refresh, aal);
    }

    @GET
    @Path("/browser")
    @Operation(summary = "Create a login flow for browsers: 303 to the UI (JSON with Accept: application/json)")
    public Uni<Response> createBrowser(@QueryParam("refresh") boolean refresh, @QueryParam("aal") String aal,
                                       @QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createBrowser(FlowKind.LOGIN, request, returnTo, refresh, aal);
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a login flow")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        return endpoints.fetch(FlowKind.LOGIN, id, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a login flow: send a code, redeem a code or link token, or resend")
    @RequestBody(content = @Content(schema = @Schema(implementation = LoginSubmission.class)))
    public Uni<Response> submitJson(@QueryParam("flow") String flow, Map<String, Object> body,
                                    @Context HttpServerRequest request) {
        return endpoints.submit(FlowKind.LOGIN, flow, JsonBody.submission(body), JsonBody.csrfToken(body), request,
                false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a login flow as a form (browser form posts answer 303)")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        return endpoints.submit(FlowKind.LOGIN, flow, fields.submission(), fields.get("csrf_token"), request, true);
    }
}