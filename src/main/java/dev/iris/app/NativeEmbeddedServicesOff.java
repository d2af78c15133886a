package dev.iris.app;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import io.smallrye.config.ConfigSourceContext;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;

/**
 * For the native image: an executable is always a packaged app (launch mode NORMAL), where
 * {@link EmbeddedServicesSourceFactory} supplies nothing. Saying so at build time keeps {@link EmbeddedServices}
 * and the embedded Postgres and Redis libraries ({@code provided} scope, absent from the build's class path) out
 * of the image; without it the build stops at "unresolved type redis.embedded.RedisServer".
 */
@TargetClass(EmbeddedServicesSourceFactory.class)
final class NativeEmbeddedServicesOff {

    private NativeEmbeddedServicesOff() {
    }

    @Substitute
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of();
    }
}
