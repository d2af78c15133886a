package dev.iris.selfservice.registration;

import dev.iris.selfservice.login.FirstFactorEndpoints;

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

/** {@code /self-service/registration*}: Kratos-compatible sign-up by emailed code or link. */
@Path("/self-service/registration")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registration")
public class RegistrationResource {

    private final FirstFactorEndpoints endpoints;

    public RegistrationResource(FirstFactorEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a registration flow for native apps and servers")
    public Uni<FlowView> createApi(@QueryParam("refresh") boolean refresh,
                                   @QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createApi(FlowKind.REGISTRATION, request, returnTo, refresh, null);
    }

    @GET
    @Path("/browser")
    @Operation(summary = "Create a registration flow for browsers: 303 to the UI (JSON with Accept: application/json)")
    public Uni<Response> createBrowser(@QueryParam("refresh") boolean refresh,
                                       @QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createBrowser(FlowKind.REGISTRATION, request, returnTo, refresh, null);
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a registration flow")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        return endpoints.fetch(FlowKind.REGISTRATION, id, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a registration flow: send a code, redeem a code or link token, or resend")
    @RequestBody(content = @Content(schema = @Schema(implementation = RegistrationSubmission.class)))
    public Uni<Response> submitJson(@QueryParam("flow") String flow, Map<String, Object> body,
                                    @Context HttpServerRequest request) {
        return endpoints.submit(FlowKind.REGISTRATION, flow, JsonBody.submission(body), JsonBody.csrfToken(body), request, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a registration flow as a form")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        return endpoints.submit(FlowKind.REGISTRATION, flow, fields.submission(), fields.get("csrf_token"), request,
                true);
    }
}