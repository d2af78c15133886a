package dev.iris.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.PackagedApp;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prod logs are JSON lines carrying the request id and the flow id of the request that wrote them. */
class ProdLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsJsonAndRequestLinesCarryRequestAndFlowIds() throws Exception {
        try (PackagedApp app = PackagedApp.start("logs", Map.of())) {
            Api api = app.api();
            String email = Api.uniqueEmail();
            api.createIdentity(email);
            String flow = api.newLoginFlow();
            Response sent = api.request().header("X-Request-Id", "req-logs-1").contentType("application/json")
                    .queryParam("flow", flow).body(Map.of("method", "code", "identifier", email))
                    .post("/self-service/login");
            assertThat(sent.statusCode()).isEqualTo(400);
            assertThat(sent.header("X-Request-Id")).isEqualTo("req-logs-1");
            assertThat(api.request().header("X-Request-Id", "not a plain token!").get("/q/health/live")
                    .header("X-Request-Id")).matches("[0-9a-f-]{36}");
            dev.iris.testsupport.Poll.until(() -> app.logText().contains("code_issued"),
                    java.time.Duration.ofSeconds(10), "the audit line");

            List<JsonNode> lines = app.logText().lines().filter(line -> !line.isBlank()).map(ProdLogsIT::parse).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.has("message")).isTrue());
            JsonNode issued = lines.stream().filter(line -> line.path("message").asText().contains("code_issued"))
                    .findFirst().orElseThrow();
            assertThat(issued.path("mdc").path("request_id").asText()).isEqualTo("req-logs-1");
            assertThat(issued.path("mdc").path("flow_id").asText()).isEqualTo(flow);
            assertThat(issued.toString()).doesNotContain(email);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }
}
