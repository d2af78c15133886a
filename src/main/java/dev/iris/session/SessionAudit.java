package dev.iris.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

/** Audit line and counter for ended sessions. */
@Singleton
public class SessionAudit {

    private final MeterRegistry metrics;

    public SessionAudit(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public void revoked(int count, String via) {
        if (count > 0) {
            metrics.counter("iris.sessions.revoked", "via", via).increment(count);
            Log.infof("audit session.revoked count=%d via=%s", count, via);
        }
    }
}
