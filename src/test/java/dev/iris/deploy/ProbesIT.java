package dev.iris.deploy;

import dev.iris.testsupport.PackagedApp;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe paths the chart renders answer 200 on the packaged app (prod mode, real Postgres and Redis). */
class ProbesIT {

    @Test
    void everyProbePathOfTheChartAnswers200() throws Exception {
        Deployment deployment = Manifests.parse(Manifests.helmTemplate(null)).stream()
                .filter(o -> o instanceof Deployment).map(o -> (Deployment) o).findFirst().orElseThrow();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> paths = List.of(container.getStartupProbe().getHttpGet().getPath(),
                container.getReadinessProbe().getHttpGet().getPath(),
                container.getLivenessProbe().getHttpGet().getPath());
        try (PackagedApp app = PackagedApp.start("probes", Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : paths) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains("\"UP\"");
            }
        }
    }
}
