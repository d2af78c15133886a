package dev.iris.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

/** Audit line and counter for ended sessions and rotated session tokens. */
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

    /** A session got a new token (its old one stops working); {@code reason} names why. */
    public void rotated(String reason) {
        metrics.counter("iris.sessions.rotated", "reason", reason).increment();
        Log.infof("audit session.token_rotated reason=%s", reason);
    }
}
