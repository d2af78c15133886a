package dev.iris.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every env var the deployment files give Iris is the env form of a configuration key the app really reads
 * (as SmallRye Config enumerates them), and the committed Secret is an example with placeholders only.
 */
class ManifestEnvTest {

    private static final Set<String> KNOWN = KnownConfigKeys.names();

    @Test
    void everyEnvVarOfTheChartIsARealConfigKey() {
        for (Path values : Stream.of((Path) null, Manifests.PROD_VALUES).toList()) {
            Set<String> env = Manifests.envNames(Manifests.parse(Manifests.helmTemplate(values)));
            assertThat(env).contains("IRIS_PUBLIC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_REDIS_HOSTS",
                    "QUARKUS_DATASOURCE_PASSWORD");
            assertThat(env).allSatisfy(name -> assertThat(KnownConfigKeys.isKnownEnv(name, KNOWN))
                    .as("%s is the env form of a real config key", name).isTrue());
        }
    }

    @Test
    void everyEnvVarOfTheSecretExampleIsARealConfigKeyAndOnlyAPlaceholder() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.read(Manifests.K8S.resolve("base/secret.example.yaml")));
        Secret secret = (Secret) objects.get(0);
        objects.forEach(Manifests::strictlyValid);
        assertThat(secret.getStringData()).containsKeys("IRIS_SECRETS_HMAC", "IRIS_SECRETS_COOKIE",
                "IRIS_SECRETS_CIPHER", "IRIS_ADMIN_API_KEYS");
        assertThat(secret.getStringData().values()).allMatch(value -> value.startsWith("<placeholder"));
        assertThat(Manifests.envNames(objects)).allSatisfy(name ->
                assertThat(KnownConfigKeys.isKnownEnv(name, KNOWN)).as(name).isTrue());
    }

    @Test
    void theKeyCheckTellsRealKeysFromTypos() {
        assertThat(KnownConfigKeys.isKnownEnv("IRIS_SECRETS_HMAC", KNOWN)).isTrue();
        assertThat(KnownConfigKeys.isKnownEnv("IRIS_SESSION_WHOAMI_REQUIRED_AAL", KNOWN)).isTrue();
        assertThat(KnownConfigKeys.isKnownEnv("QUARKUS_MAILER_HOST", KNOWN)).isTrue();
        assertThat(KnownConfigKeys.isKnownEnv("QUARKUS_HTTP_PORT", KNOWN)).isTrue();
        assertThat(KnownConfigKeys.isKnownEnv("IRIS_SECRET_HMAC", KNOWN)).isFalse();
        assertThat(KnownConfigKeys.isKnownEnv("QUARKUS_MAILER_HOSTNAME", KNOWN)).isFalse();
        assertThat(KnownConfigKeys.isKnownEnv("JAVA_OPTS", KNOWN)).isFalse();
    }

    @Test
    void theStrictCheckRefusesAFieldKubernetesDoesNotHave() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}, periodSecond: 5}
                """;
        assertThatThrownBy(() -> Manifests.parse(typo).forEach(Manifests::strictlyValid))
                .hasMessageContaining("periodSecond");
    }
}
