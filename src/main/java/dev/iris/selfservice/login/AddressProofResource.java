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

import java.util.Map;

/**
 * The endpoints of a flow that proves an address and is not a sign-in — recovery and verification: create (api,
 * browser), fetch, submit (JSON or form). A subclass names the path and the {@link FlowKind}; thin, as every
 * resource: parse, call {@link FirstFactorEndpoints}, map.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class AddressProofResource {

    private final FirstFactorEndpoints endpoints;
    private final FlowKind kind;

    protected AddressProofResource(FirstFactorEndpoints endpoints, FlowKind kind) {
        this.endpoints = endpoints;
        this.kind = kind;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a flow for native apps and servers")
    public Uni<FlowView> createApi(@QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createApi(kind, request, returnTo, false, null);
    }

    @GET
    @Path("/browser")
    @Operation(summary = "Create a flow for browsers: 303 to the UI (JSON with Accept: application/json)")
    public Uni<Response> createBrowser(@QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createBrowser(kind, request, returnTo, false, null);
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a flow")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        return endpoints.fetch(kind, id, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a flow: send a code to an address, resend, or redeem the code or link")
    public Uni<Response> submitJson(@QueryParam("flow") String flow, Map<String, Object> body,
                                    @Context HttpServerRequest request) {
        return endpoints.submit(kind, flow, JsonBody.submission(body), JsonBody.csrfToken(body), request, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a flow as a form (browser form posts answer 303)")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        return endpoints.submit(kind, flow, fields.submission(), fields.get("csrf_token"), request, true);
    }
}
