package dev.iris.it;

import dev.iris.testsupport.PackagedApp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged app refuses to start in prod with development or short secrets, naming the key. */
class ProdConfigIT {

    @Test
    void developmentSecretIsRefusedByName() {
        try (PackagedApp app = PackagedApp.launch("prod-dev-secret",
                Map.of("iris.secrets.hmac", "insecure-dev-hmac-key-0123456789abcdef"))) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(app.logText()).contains("Iris refuses to start").contains("iris.secrets.hmac")
                    .doesNotContain("insecure-dev-hmac-key-0123456789abcdef");
        }
    }

    @Test
    void shortAdminKeyAndWrongSizeCipherKeyAreRefusedByName() {
        try (PackagedApp app = PackagedApp.launch("prod-short-secret",
                Map.of("iris.admin.api-keys", "short", "iris.secrets.cipher", "c2hvcnQ="))) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(app.logText()).contains("iris.secrets.cipher");
        }
    }
}
