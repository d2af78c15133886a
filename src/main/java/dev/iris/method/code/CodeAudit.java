package dev.iris.method.code;

import dev.iris.events.EventLog;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import static dev.iris.support.Masking.maskEmail;

/**
 * Audit lines and counters of the code method: one per outcome, masked addresses, no secrets. Counters never
 * tell known from unknown addresses (that would be an enumeration oracle on {@code /q/metrics}).
 */
@Singleton
public class CodeAudit {

    private final MeterRegistry metrics;
    private final EventLog events;

    public CodeAudit(MeterRegistry metrics, EventLog events) {
        this.metrics = metrics;
        this.events = events;
    }

    void issued(Flow flow, String email) {
        metrics.counter("iris.codes.issued", "flow", flow.kind().path()).increment();
        Log.infof("audit %s.code_issued flow=%s address=%s", flow.kind().path(), flow.id(), maskEmail(email));
    }

    void identityCreated(boolean inserted, String email) {
        if (inserted) {
            metrics.counter("iris.identities.created", "via", "registration").increment();
            Log.infof("audit identity.created via=registration address=%s", maskEmail(email));
        }
    }

    /** {@code address}: the address the redemption was for (only a login.failed event may carry it, if configured). */
    Uni<Redemption> outcome(Flow flow, Redemption result, String address) {
        String name = result instanceof Redemption.Success ? "success"
                : result instanceof Redemption.Exhausted ? "exhausted"
                : result instanceof Redemption.Denied ? "denied" : "invalid";
        metrics.counter("iris.redemptions", "flow", flow.kind().path(), "outcome", name).increment();
        if (result instanceof Redemption.Success success) {
            Log.infof("audit %s.succeeded flow=%s identity=%s", flow.kind().path(), flow.id(), success.identity().id);
        } else {
            Log.infof("audit %s.failed flow=%s reason=%s", flow.kind().path(), flow.id(), name);
            if (flow.kind() == FlowKind.LOGIN) {
                return events.loginFailed(flow.id(), "code", result instanceof Redemption.Exhausted
                        ? "attempts_exhausted" : result instanceof Redemption.Denied ? "denied_by_hook"
                        : "invalid_code", address).replaceWith(result);
            }
        }
        return Uni.createFrom().item(result);
    }
}
