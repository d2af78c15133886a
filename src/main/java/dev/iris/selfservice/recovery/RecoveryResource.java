package dev.iris.selfservice.recovery;

import dev.iris.http.FormBody;
import dev.iris.http.JsonBody;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowView;
import dev.iris.selfservice.login.FirstFactorEndpoints;
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

import java.util.Map;

/**
 * {@code /self-service/recovery*}: Kratos-compatible account recovery by emailed code or link, for a user who lost
 * access (Kratos's recovery flow, method {@code code}). Success signs in and opens a settings flow.
 */
@Path("/self-service/recovery")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recovery")
public class RecoveryResource {

    private static final FlowKind KIND = FlowKind.RECOVERY;

    private final FirstFactorEndpoints endpoints;

    public RecoveryResource(FirstFactorEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @GET
    @Path("/api")
    @Operation(summary = "Create a recovery flow for native apps and servers")
    public Uni<FlowView> createApi(@QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createApi(KIND, request, returnTo, false, null);
    }

    @GET
    @Path("/browser")
    @Operation(summary = "Create a recovery flow for browsers: 303 to the UI (JSON with Accept: application/json)")
    public Uni<Response> createBrowser(@QueryParam("return_to") String returnTo, @Context HttpServerRequest request) {
        return endpoints.createBrowser(KIND, request, returnTo, false, null);
    }

    @GET
    @Path("/flows")
    @Operation(summary = "Fetch a recovery flow")
    public Uni<FlowView> fetch(@QueryParam("id") String id, @Context HttpServerRequest request) {
        return endpoints.fetch(KIND, id, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a recovery flow: send a code to an address, resend, or redeem the code or link")
    public Uni<Response> submitJson(@QueryParam("flow") String flow, Map<String, Object> body,
                                    @Context HttpServerRequest request) {
        return endpoints.submit(KIND, flow, JsonBody.submission(body), JsonBody.csrfToken(body), request, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Submit a recovery flow as a form (browser form posts answer 303)")
    public Uni<Response> submitForm(@QueryParam("flow") String flow, String form, @Context HttpServerRequest request) {
        FormBody fields = FormBody.parse(form);
        return endpoints.submit(KIND, flow, fields.submission(), fields.get("csrf_token"), request, true);
    }
}
