package dev.iris.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Helm chart: strict lint, rendering with default and prod-like values, strict schema of every object. */
class HelmChartTest {

    @Test
    void lintStrictIsClean() {
        LintResult lint = new Helm(Manifests.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    @Test
    void defaultValuesRenderStrictlyValidObjects() {
        List<HasMetadata> objects = Manifests.parse(Manifests.helmTemplate(null));
        objects.forEach(Manifests::strictlyValid);
        assertThat(Manifests.kinds(objects)).containsExactly("ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount");
        assertHardened(objects);
    }

    @Test
    void prodValuesRenderIngressTlsClusterRedisAndServiceMonitor() {
        String rendered = Manifests.helmTemplate(Manifests.PROD_VALUES);
        List<HasMetadata> objects = Manifests.parse(rendered);
        objects.forEach(Manifests::strictlyValid);
        assertThat(Manifests.kinds(objects)).contains("Ingress", "ServiceMonitor");
        assertThat(rendered).contains("QUARKUS_REDIS_CLIENT_TYPE: \"cluster\"")
                .contains("nginx.ingress.kubernetes.io/limit-rpm")
                .contains("secretName: auth-example-com-tls");
        var ingress = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress)
                .map(o -> (io.fabric8.kubernetes.api.model.networking.v1.Ingress) o).findFirst().orElseThrow();
        List<String> routed = ingress.getSpec().getRules().get(0).getHttp().getPaths().stream()
                .map(io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath::getPath).toList();
        assertThat(routed).contains("/self-service", "/sessions", "/login", "/.well-known")
                .noneMatch(path -> path.startsWith("/admin") || path.startsWith("/q"));
        assertThat(Manifests.envNames(objects)).contains("QUARKUS_REDIS_PASSWORD", "QUARKUS_MAILER_USERNAME",
                "IRIS_SESSION_TOKENIZER_JWKS", "IRIS_EVENTS_ENDPOINTS_CRM_SECRET");
        assertThat(rendered).contains("IRIS_SESSION_TOKENIZER_TEMPLATES_API_TTL: \"1m\"")
                .contains("IRIS_SESSION_TOKENIZER_TEMPLATES_API_AUDIENCE: \"billing\"")
                .contains("IRIS_EVENTS_ENDPOINTS_CRM_URL: \"https://crm.internal/hooks/iris\"")
                .contains("IRIS_EVENTS_ENDPOINTS_CRM_EVENTS: \"identity.created,identity.deleted\"");
        assertHardened(objects);
    }

    @Test
    void theSchemaRefusesValuesThatDoNotFit(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, "replicaCount: two\nunknownKey: 1\n");
        assertThatThrownBy(() -> new Helm(Manifests.CHART).template().withValuesFile(bad).call())
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void messageOverridesAreAConfigMapMountedReadOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path values = dir.resolve("messages.yaml");
        java.nio.file.Files.writeString(values, "messages:\n  overridesConfigMap: iris-messages\n");
        List<HasMetadata> objects = Manifests.parse(Manifests.helmTemplate(values));
        var pod = objects.stream().filter(o -> o instanceof Deployment).map(o -> (Deployment) o).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getConfigMap() != null)
                .singleElement().satisfies(volume -> assertThat(volume.getConfigMap().getName())
                        .isEqualTo("iris-messages"));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/iris/messages");
            assertThat(mount.getReadOnly()).isTrue();
        });
        assertThat(Manifests.helmTemplate(values)).contains("IRIS_MESSAGES_OVERRIDES: \"/etc/iris/messages\"");
        assertThat(Manifests.helmTemplate(null)).doesNotContain("IRIS_MESSAGES_OVERRIDES");
    }

    @Test
    void theChartNeverCarriesSecretValues() {
        List<HasMetadata> objects = Manifests.parse(Manifests.helmTemplate(Manifests.PROD_VALUES));
        assertThat(objects).noneMatch(o -> o instanceof Secret);
    }

    static int appHttpPort() {
        try (var in = java.nio.file.Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return Integer.parseInt(properties.getProperty("quarkus.http.port"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replicas, rolling update without unavailability, probes and the restricted pod security settings. */
    static void assertHardened(List<HasMetadata> objects) {
        Deployment deployment = objects.stream().filter(o -> o instanceof Deployment).map(o -> (Deployment) o)
                .findFirst().orElseThrow();
        var spec = deployment.getSpec();
        assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        var pod = spec.getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getTopologySpreadConstraints()).isNotEmpty();
        var container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(Set.of(container.getStartupProbe().getHttpGet().getPath(),
                container.getReadinessProbe().getHttpGet().getPath(), container.getLivenessProbe().getHttpGet().getPath()))
                .containsExactlyInAnyOrder("/q/health/started", "/q/health/ready", "/q/health/live");
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).as("the app's quarkus.http.port").isEqualTo(appHttpPort());
        });
        objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.Service)
                .map(o -> (io.fabric8.kubernetes.api.model.Service) o)
                .forEach(service -> assertThat(service.getSpec().getPorts())
                        .allMatch(port -> "http".equals(port.getTargetPort().getStrVal())));
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    }
}
