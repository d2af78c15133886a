package dev.iris.identity;

import dev.iris.config.IrisConfig;
import io.micrometer.core.instrument.MeterRegistry;
import dev.iris.support.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static dev.iris.support.Masking.maskEmail;

/**
 * Creates and reads identities. Deleting one also ends its sessions, so it is {@code session}'s to orchestrate
 * ({@code SessionDirectory#deleteIdentity}); this package knows nothing of sessions.
 */
@Singleton
public class IdentityService {

    private final IdentityRepository identities;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final boolean smtpUtf8;

    public IdentityService(IdentityRepository identities, MeterRegistry metrics, Clock clock, IrisConfig config) {
        this.smtpUtf8 = config.mail().smtputf8();
        this.metrics = metrics;
        this.identities = identities;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Identity> create(String rawEmail) {
        String email = EmailAddress.normalise(rawEmail, smtpUtf8)
                .orElseThrow(() -> ApiException.badRequest("traits.email must be a valid email address."));
        return identities.findByEmail(email)
                .onItem().ifNotNull().failWith(() -> duplicate())
                .chain(() -> identities.persistAndFlush(Identity.create(email, clock.instant())))
                .onFailure(Failures::isUniqueViolation).transform(e -> duplicate())
                .invoke(identity -> {
                    metrics.counter("iris.identities.created", "via", "admin").increment();
                    Log.infof("audit identity.created via=admin id=%s address=%s", identity.id,
                            maskEmail(identity.email));
                });
    }

    /** A page of identities and the token of the next page, if there is one. */
    public record Page(List<Identity> items, java.util.Optional<String> nextToken) {
    }

    /** Key-set pagination in id order; {@code identifier} filters by (normalised) address. */
    @WithSession
    public Uni<Page> page(UUID after, String identifier, int size) {
        String email = identifier == null ? null
                : EmailAddress.normalise(identifier, smtpUtf8).orElse(identifier.strip());
        return identities.page(after, email, size + 1).map(rows -> rows.size() > size
                ? new Page(rows.subList(0, size), java.util.Optional.of(rows.get(size - 1).id.toString()))
                : new Page(rows, java.util.Optional.empty()));
    }

    @WithSession
    public Uni<Identity> get(UUID id) {
        return identities.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Unable to locate the resource"));
    }

    private static ApiException duplicate() {
        return new ApiException(409, "conflict", "An identity with this email address already exists.");
    }
}
