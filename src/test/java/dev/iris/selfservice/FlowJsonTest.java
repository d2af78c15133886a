package dev.iris.selfservice;

import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowJson;
import dev.iris.selfservice.flow.FlowKind;
import dev.iris.selfservice.flow.FlowType;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling upgrades: releases before the method SPI kept a settings flow's pending secrets in {@code sealed_totp} and
 * {@code sealed_lookup}. Flows written by either release keep their secrets on the other.
 */
@QuarkusTest
class FlowJsonTest {

    @Inject
    FlowJson json;

    private static Flow settings() {
        Instant now = Instant.parse("2026-11-29T12:00:00.123456789Z");
        return Flow.forIdentity(FlowKind.SETTINGS, FlowType.BROWSER, now, now.plusSeconds(3600), "http://x/settings",
                null, "owner", UUID.randomUUID(), "aal1").offering(Map.of("totp", "sealed-secret",
                "lookup_secret", "sealed-codes"));
    }

    @Test
    void aSettingsFlowIsWrittenWithTheFieldsOlderInstancesRead() {
        JsonObject written = new JsonObject(json.write(settings()));
        assertThat(written.getString("sealed_totp")).isEqualTo("sealed-secret");
        assertThat(written.getString("sealed_lookup")).isEqualTo("sealed-codes");
        assertThat(written.getJsonObject("pending").getMap()).containsEntry("totp", "sealed-secret");
    }

    @Test
    void aFlowWrittenByAnOlderInstanceKeepsItsPendingSecrets() {
        Flow flow = settings();
        String old = json.write(flow).replaceFirst("\"pending\":\\{[^}]*\\},?", "");
        assertThat(old).doesNotContain("pending").contains("sealed_totp");
        Flow read = json.read(old);
        assertThat(read.pending("totp")).isEqualTo("sealed-secret");
        assertThat(read.pending("lookup_secret")).isEqualTo("sealed-codes");
        assertThat(read).isEqualTo(flow);
    }

    @Test
    void flowsWithoutPendingSecretsAreWrittenAsTheyAre() {
        Instant now = Instant.now();
        Flow login = Flow.create(FlowKind.LOGIN, FlowType.API, now, now.plusSeconds(3600), "http://x/login", null,
                false);
        String written = json.write(login);
        assertThat(written).doesNotContain("sealed_totp").doesNotContain("sealed_lookup");
        assertThat(json.read(written)).isEqualTo(login);
    }
}
