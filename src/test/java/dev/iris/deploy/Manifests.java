package dev.iris.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Renders the deployment files (Helm chart, kustomize overlays) and checks what they render, strictly. */
final class Manifests {

    static final Path CHART = Paths.get("helm", "iris");
    static final Path PROD_VALUES = CHART.resolve("ci").resolve("prod-values.yaml");
    static final Path K8S = Paths.get("k8s");
    /** Custom resources the model does not know; checked by hand in {@link #strictlyValid}. */
    private static final Set<String> CUSTOM_KINDS = Set.of("monitoring.coreos.com/v1/ServiceMonitor");

    private Manifests() {
    }

    static String helmTemplate(Path valuesFile) {
        var template = new Helm(CHART).template().withName("iris").withNamespace("iris");
        return valuesFile == null ? template.call() : template.withValuesFile(valuesFile).call();
    }

    static String kustomize(Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + out);
        }
        return out;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** Every document of a multi-document YAML stream, as typed Kubernetes objects. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            Object parsed = Serialization.unmarshal(document);
            if (!(parsed instanceof HasMetadata object)) {
                throw new AssertionError("not a Kubernetes object:\n" + document);
            }
            objects.add(object);
        }
        return objects;
    }

    /**
     * Fails on any field the Kubernetes model does not know (a typo, a wrong nesting level, a field of another
     * API version): fabric8 collects those in {@code additionalProperties}, at every level of the object.
     */
    static void strictlyValid(HasMetadata object) {
        String id = object.getApiVersion() + "/" + object.getKind();
        if (object instanceof GenericKubernetesResource custom) {
            if (!CUSTOM_KINDS.contains(id)) {
                throw new AssertionError("unknown kind " + id + " (" + object.getMetadata().getName() + ")");
            }
            Map<String, Object> spec = custom.get("spec");
            if (spec == null || !spec.keySet().equals(Set.of("selector", "endpoints"))) {
                throw new AssertionError("ServiceMonitor spec must hold exactly selector and endpoints: " + spec);
            }
            return;
        }
        List<String> unknown = new ArrayList<>();
        walk(object, id + " " + object.getMetadata().getName(), unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError("fields the Kubernetes schema does not have: " + unknown);
        }
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, unknown));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            walk(child, path + "." + getter.getName().replaceFirst("^(get|is)", ""), unknown);
        }
    }

    /**
     * Every environment variable the objects give Iris: keys of the ConfigMaps and Secrets its containers load
     * with {@code envFrom}, and each {@code env} entry.
     */
    static Set<String> envNames(List<HasMetadata> objects) {
        Set<String> names = new TreeSet<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                    container.getEnv().stream().map(EnvVar::getName).forEach(names::add);
                    for (EnvFromSource source : container.getEnvFrom()) {
                        String configMap = source.getConfigMapRef() == null ? null : source.getConfigMapRef().getName();
                        objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(configMap))
                                .forEach(o -> names.addAll(((ConfigMap) o).getData().keySet()));
                    }
                }
            }
            if (object instanceof Secret secret) {
                names.addAll(secret.getStringData() == null ? Set.of() : secret.getStringData().keySet());
                names.addAll(secret.getData() == null ? Set.of() : secret.getData().keySet());
            }
        }
        return names;
    }

    static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).sorted().toList();
    }
}
