package dev.iris.testsupport;

import dev.iris.config.IrisConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** An {@link IrisConfig} built the way Quarkus builds it at start, from {@code values} over valid secrets. */
public final class IrisConfigs {

    private IrisConfigs() {
    }

    public static IrisConfig build(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of(
                "iris.secrets.hmac", "h".repeat(32),
                "iris.secrets.cookie", "c".repeat(32),
                "iris.secrets.cipher", "aW5zZWN1cmUtZGV2LWNpcGhlci1rZXktMzItYnl0ZXM=",
                "iris.admin.api-keys", "a".repeat(32)));
        all.putAll(values);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(IrisConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // as Quarkus registers it
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
        return config.getConfigMapping(IrisConfig.class);
    }
}
