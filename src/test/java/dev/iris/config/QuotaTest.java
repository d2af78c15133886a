package dev.iris.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaTest {

    @Test
    void parsesCountAndWindow() {
        assertThat(Quota.parse("5/5m")).isEqualTo(new Quota(5, Duration.ofMinutes(5)));
        assertThat(Quota.parse(" 10 / 1h ")).isEqualTo(new Quota(10, Duration.ofHours(1)));
        assertThat(Quota.parse("30/300s")).isEqualTo(new Quota(30, Duration.ofSeconds(300)));
        assertThat(Quota.parse("2/1500ms")).isEqualTo(new Quota(2, Duration.ofMillis(1500)));
        assertThat(Quota.parse("1/30d")).isEqualTo(new Quota(1, Duration.ofDays(30)));
    }

    /** The key is named by the configuration that reads the value: {@link RateLimitConfigTest}. */
    @Test
    void rejectsNonsenseSayingWhatItShouldLookLike() {
        assertThatThrownBy(() -> Quota.parse("five per minute")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5/5m").hasMessageContaining("five per minute");
        assertThatThrownBy(() -> Quota.parse("0/5m")).hasMessageContaining("0/5m");
        assertThatThrownBy(() -> Quota.parse("5/0m")).hasMessageContaining("5/0m");
        assertThatThrownBy(() -> Quota.parse("5/5")).hasMessageContaining("5/5");
    }

    @Test
    void theConverterParsesAndLeavesAnEmptyValueUnset() {
        QuotaConverter converter = new QuotaConverter();
        assertThat(converter.convert("5/1h")).isEqualTo(new Quota(5, Duration.ofHours(1)));
        assertThat(converter.convert(" ")).isNull();
        assertThatThrownBy(() -> converter.convert("5 per hour")).isInstanceOf(IllegalArgumentException.class);
    }
}
