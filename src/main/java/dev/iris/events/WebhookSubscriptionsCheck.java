package dev.iris.events;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness waits until this instance has written its webhook subscriptions ({@link WebhookDispatcher} does it at
 * start). Events are recorded per subscribed endpoint when a change commits, so a change served before then would
 * record no delivery for an endpoint the configuration has just added. The native executable is ready 0.2 s after
 * start, before the dispatcher's first poll; {@code WebhookFaultIT} lost its first events that way.
 */
@Readiness
@Singleton
public class WebhookSubscriptionsCheck implements HealthCheck {

    private final WebhookDispatcher dispatcher;

    public WebhookSubscriptionsCheck(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Webhook subscriptions").status(dispatcher.subscriptionsWritten()).build();
    }
}
