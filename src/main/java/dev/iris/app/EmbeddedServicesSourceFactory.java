package dev.iris.app;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.OptionalInt;

/**
 * In dev and test launch mode only, supplies Postgres and Redis URLs of embedded servers when none are
 * configured. Ordinal 275: above application.properties, below .env, environment variables and system
 * properties, so anything configured wins. A packaged app (launch mode NORMAL) never embeds anything.
 */
public class EmbeddedServicesSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!LaunchMode.current().isDevOrTest() || "false".equals(value(context, "dev.iris.embedded.enabled"))) {
            return List.of();
        }
        boolean postgres = value(context, "quarkus.datasource.reactive.url") == null;
        boolean redis = value(context, "quarkus.redis.hosts") == null;
        if (!postgres && !redis) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(EmbeddedServices.config(postgres, redis), "iris-embedded-services",
                ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
