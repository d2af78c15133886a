package dev.iris.session;

import dev.iris.identity.IdentityRepository;
import dev.iris.support.ApiException;
import dev.iris.support.Digests;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** Answers whoami from the cache (falling back to Postgres) and revokes sessions. */
@ApplicationScoped
public class SessionService {

    private final SessionCache cache;
    private final SessionRepository sessions;
    private final IdentityRepository identities;
    private final SessionIssuer issuer;
    private final Clock clock;

    public SessionService(SessionCache cache, SessionRepository sessions, IdentityRepository identities,
                          SessionIssuer issuer, Clock clock) {
        this.cache = cache;
        this.sessions = sessions;
        this.identities = identities;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The active session for a raw token, or a 401 {@code session_inactive} failure. */
    public Uni<SessionCache.Entry> whoami(String token) {
        if (token == null || token.isBlank() || token.length() > 512) {
            return Uni.createFrom().failure(ApiException.sessionInactive());
        }
        byte[] hash = Digests.sha256(token);
        return cache.get(hash)
                .chain(hit -> hit != null ? Uni.createFrom().item(hit) : loadAndCache(hash))
                .invoke(entry -> {
                    if (!entry.expiresAt().isAfter(clock.instant())) {
                        throw ApiException.sessionInactive();
                    }
                });
    }

    @WithSession
    Uni<SessionCache.Entry> loadAndCache(byte[] hash) {
        return sessions.findByTokenHash(hash)
                .onItem().ifNull().failWith(ApiException::sessionInactive)
                .invoke(session -> {
                    if (!session.activeAt(clock.instant())) {
                        throw ApiException.sessionInactive();
                    }
                })
                .chain(session -> identities.findById(session.identityId)
                        .onItem().ifNull().failWith(ApiException::sessionInactive)
                        .chain(identity -> issuer.cache(session, identity)));
    }

    /** Revokes the session holding {@code token}; unknown or already revoked tokens are not an error. */
    public Uni<Void> revoke(String token) {
        byte[] hash = Digests.sha256(token);
        return revokeRow(hash)
                .call(() -> cache.evict(hash))
                .invoke(changed -> {
                    if (changed > 0) {
                        Log.info("audit session.revoked via=logout");
                    }
                })
                .replaceWithVoid();
    }

    @WithTransaction
    Uni<Integer> revokeRow(byte[] hash) {
        return sessions.revokeByTokenHash(hash, clock.instant());
    }
}
