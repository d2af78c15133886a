package dev.iris.identity;

import dev.iris.config.IrisConfig;
import dev.iris.session.SessionAudit;
import dev.iris.session.SessionCache;
import io.micrometer.core.instrument.MeterRegistry;
import dev.iris.session.SessionRepository;
import dev.iris.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static dev.iris.support.Masking.maskEmail;

/** Creates, reads and deletes identities; deleting one also drops its codes and sessions and evicts them. */
@Singleton
public class IdentityService {

    private final IdentityRepository identities;
    private final SessionRepository sessions;
    private final SessionCache sessionCache;
    private final SessionAudit audit;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final boolean smtpUtf8;

    public IdentityService(IdentityRepository identities, SessionRepository sessions, SessionCache sessionCache,
                           SessionAudit audit, MeterRegistry metrics, Clock clock, IrisConfig config) {
        this.smtpUtf8 = config.mail().smtputf8();
        this.audit = audit;
        this.metrics = metrics;
        this.identities = identities;
        this.sessions = sessions;
        this.sessionCache = sessionCache;
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

    /** Deletes the identity (codes and sessions cascade in Postgres) and tombstones its cached sessions. */
    public Uni<Void> delete(UUID id) {
        return deleteRows(id)
                .call(sessionCache::revokeAll)
                .invoke(hashes -> audit.revoked(hashes.size(), "identity_deleted"))
                .invoke(() -> Log.infof("audit identity.deleted id=%s", id))
                .replaceWithVoid();
    }

    private Uni<List<byte[]>> deleteRows(UUID id) {
        return Panache.withTransaction(() -> identities.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Unable to locate the resource"))
                .chain(identity -> sessions.tokenHashesOfLocked(id)
                        .call(hashes -> identities.delete(identity))));
    }

    private static ApiException duplicate() {
        return new ApiException(409, "conflict", "An identity with this email address already exists.");
    }
}
