package dev.iris.deploy;

import io.smallrye.config.ConfigMappings;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every configuration key the app really reads, as SmallRye Config itself enumerates them from the config
 * mappings: Iris's own root ({@code iris.*}) and the Quarkus runtime roots of the extensions the manifests
 * configure (HTTP, datasource, reactive and JDBC datasource, Redis, mailer). Map keys appear as {@code *}.
 */
final class KnownConfigKeys {

    private static final List<String> ROOTS = List.of(
            "dev.iris.config.IrisConfig",
            "io.quarkus.vertx.http.runtime.VertxHttpConfig",
            "io.quarkus.datasource.runtime.DataSourcesRuntimeConfig",
            "io.quarkus.reactive.datasource.runtime.DataSourcesReactiveRuntimeConfig",
            "io.quarkus.agroal.runtime.DataSourcesJdbcRuntimeConfig",
            "io.quarkus.redis.runtime.client.config.RedisConfig",
            "io.quarkus.mailer.runtime.MailersRuntimeConfig");

    private KnownConfigKeys() {
    }

    /** Dotted names, with {@code *} where a map key (a named datasource, Redis client or mailer) goes. */
    static Set<String> names() {
        return ROOTS.stream().flatMap(root -> {
            try {
                Class<?> type = Class.forName(root);
                return ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type)).keySet().stream();
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("config root moved: " + root, e);
            }
        }).filter(name -> !name.endsWith("[*]")).collect(Collectors.toSet());
    }

    /** True when {@code envName} is the env form of one of {@code names} (SmallRye's rule: non-alphanumerics → _). */
    static boolean isKnownEnv(String envName, Set<String> names) {
        return names.stream().anyMatch(name -> envPattern(name).matcher(envName).matches());
    }

    private static Pattern envPattern(String dotted) {
        StringBuilder regex = new StringBuilder();
        String[] parts = dotted.split("\\.\\*\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("_(?:[A-Z0-9_]+_)?"); // a named map entry (a datasource, client, mailer), or the default
            }
            regex.append(Pattern.quote(parts[i].replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString());
    }
}
