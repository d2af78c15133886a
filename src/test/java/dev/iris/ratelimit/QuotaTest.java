package dev.iris.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaTest {

    @Test
    void parsesCountAndWindow() {
        assertThat(Quota.parse("k", "5/5m")).isEqualTo(new Quota(5, Duration.ofMinutes(5)));
        assertThat(Quota.parse("k", " 10 / 1h ")).isEqualTo(new Quota(10, Duration.ofHours(1)));
        assertThat(Quota.parse("k", "30/300s")).isEqualTo(new Quota(30, Duration.ofSeconds(300)));
    }

    @Test
    void rejectsNonsenseNamingTheKey() {
        assertThatThrownBy(() -> Quota.parse("iris.ratelimit.send-per-ip", "five per minute"))
                .hasMessageContaining("iris.ratelimit.send-per-ip");
        assertThatThrownBy(() -> Quota.parse("k", "0/5m")).hasMessageContaining("k");
        assertThatThrownBy(() -> Quota.parse("k", "5/0m")).hasMessageContaining("k");
    }
}
