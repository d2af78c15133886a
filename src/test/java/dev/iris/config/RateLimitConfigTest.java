package dev.iris.config;

import dev.iris.testsupport.IrisConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rate-limit quotas are typed by the configuration mapping itself: read as {@link Quota}s with the defaults the
 * README lists, and a bad value fails when the configuration is built (at start), naming its key — not on the first
 * request that happens to need it.
 */
class RateLimitConfigTest {

    private static IrisConfig.RateLimit read(Map<String, String> values) {
        return IrisConfigs.build(values).ratelimit();
    }

    @Test
    void theDefaultsAreQuotas() {
        IrisConfig.RateLimit limits = read(Map.of());
        assertThat(limits.sendPerIp()).isEqualTo(new Quota(5, Duration.ofMinutes(5)));
        assertThat(limits.sendPerAddress()).isEqualTo(new Quota(5, Duration.ofHours(1)));
        assertThat(limits.failedCodesPerAddress()).isEqualTo(new Quota(10, Duration.ofHours(1)));
        assertThat(limits.failedRedeemsPerIp()).isEqualTo(new Quota(30, Duration.ofMinutes(5)));
        assertThat(limits.secondFactorAttempts()).isEqualTo(new Quota(5, Duration.ofMinutes(5)));
    }

    @Test
    void aConfiguredValueIsRead() {
        assertThat(read(Map.of("iris.ratelimit.second-factor-attempts", "3/90s")).secondFactorAttempts())
                .isEqualTo(new Quota(3, Duration.ofSeconds(90)));
    }

    @Test
    void aBadValueFailsWhenTheConfigurationIsBuiltNamingTheKey() {
        for (String key : new String[] {"iris.ratelimit.send-per-ip", "iris.ratelimit.send-per-address",
                "iris.ratelimit.failed-codes-per-address", "iris.ratelimit.failed-redeems-per-ip",
                "iris.ratelimit.second-factor-attempts"}) {
            assertThatThrownBy(() -> read(Map.of(key, "five per minute")))
                    .as(key)
                    .hasStackTraceContaining(key)
                    .hasStackTraceContaining("must look like 5/5m");
        }
        assertThatThrownBy(() -> read(Map.of("iris.ratelimit.send-per-ip", "0/5m")))
                .hasStackTraceContaining("iris.ratelimit.send-per-ip");
    }
}
