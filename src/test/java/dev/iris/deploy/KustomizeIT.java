package dev.iris.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both kustomize overlays render with {@code kubectl kustomize} (offline), every object passes the strict schema
 * check, and every env var is a real config key. Runs when {@code /usr/bin/kubectl} exists (profile "kubectl";
 * {@code .ci/run} requires it).
 */
class KustomizeIT {

    @Test
    void devOverlay() throws Exception {
        List<HasMetadata> objects = check(Manifests.K8S.resolve("overlays/dev"));
        assertThat(objects).allMatch(o -> "Namespace".equals(o.getKind())
                || "iris-dev".equals(o.getMetadata().getNamespace()));
    }

    @Test
    void prodOverlay() throws Exception {
        List<HasMetadata> objects = check(Manifests.K8S.resolve("overlays/prod"));
        assertThat(Manifests.kinds(objects)).contains("ServiceMonitor");
        assertThat(objects).filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .allMatch(o -> ((io.fabric8.kubernetes.api.model.apps.Deployment) o).getSpec().getReplicas() == 3);
    }

    private static List<HasMetadata> check(Path overlay) throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.kustomize(overlay));
        objects.forEach(Manifests::strictlyValid);
        assertThat(Manifests.kinds(objects)).contains("ConfigMap", "Deployment", "HorizontalPodAutoscaler",
                "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount", "Namespace");
        HelmChartTest.assertHardened(objects);
        var known = KnownConfigKeys.names();
        assertThat(Manifests.envNames(objects)).isNotEmpty().allSatisfy(name ->
                assertThat(KnownConfigKeys.isKnownEnv(name, known)).as("%s is a real config key", name).isTrue());
        return objects;
    }
}
