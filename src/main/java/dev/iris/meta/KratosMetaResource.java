package dev.iris.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iris.support.ApiException;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kratos's public meta endpoints, which Kratos tooling, charts and proxies probe: {@code /health/alive},
 * {@code /health/ready} (the same checks as {@code /q/health/live} and {@code /q/health/ready}, in Kratos's shape),
 * {@code /version}, and the identity schema at {@code /schemas} and {@code /schemas/default} — one email trait,
 * the identifier of the code method, verified and recovered by email.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metadata")
public class KratosMetaResource {

    static final String SCHEMA_ID = "default";

    private final SmallRyeHealthReporter health;
    private final String version;
    private final JsonNode schema;

    public KratosMetaResource(SmallRyeHealthReporter health, ObjectMapper json,
                              @ConfigProperty(name = "quarkus.application.version") String version) {
        this.health = health;
        this.version = version;
        try (InputStream in = KratosMetaResource.class.getResourceAsStream("/identity.schema.json")) {
            this.schema = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/health/alive")
    @Operation(summary = "Liveness, as Kratos answers it")
    public Uni<Response> alive() {
        return health.getLivenessAsync().map(KratosMetaResource::kratosShape);
    }

    @GET
    @Path("/health/ready")
    @Operation(summary = "Readiness (Postgres, Redis), as Kratos answers it")
    public Uni<Response> ready() {
        return health.getReadinessAsync().map(KratosMetaResource::kratosShape);
    }

    @GET
    @Path("/version")
    @Operation(summary = "The running version")
    public Map<String, String> version() {
        return Map.of("version", version);
    }

    @GET
    @Path("/schemas")
    @Operation(summary = "The identity schemas (one: default)")
    public List<Map<String, Object>> schemas() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", SCHEMA_ID);
        entry.put("schema", schema);
        return List.of(entry);
    }

    @GET
    @Path("/schemas/{id}")
    @Operation(summary = "One identity schema")
    public JsonNode schema(@PathParam("id") String id) {
        if (!SCHEMA_ID.equals(id)) {
            throw ApiException.notFound("The requested resource could not be found.");
        }
        return schema;
    }

    /** 200 {@code {"status":"ok"}}, or 503 {@code {"errors":{check: reason}}} naming the checks that are down. */
    private static Response kratosShape(SmallRyeHealth result) {
        if (!result.isDown()) {
            return Response.ok(Map.of("status", "ok")).build();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (JsonValue check : result.getPayload().getJsonArray("checks")) {
            JsonObject object = check.asJsonObject();
            if (!"UP".equals(object.getString("status", "DOWN"))) {
                errors.put(object.getString("name", "check"), "down");
            }
        }
        return Response.status(503).type(MediaType.APPLICATION_JSON).entity(Map.of("errors", errors)).build();
    }
}
