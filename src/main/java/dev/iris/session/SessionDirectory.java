package dev.iris.session;

import dev.iris.identity.Identity;
import dev.iris.identity.IdentityRepository;
import dev.iris.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Lists and revokes sessions by owner or id, for the user ({@code /sessions}) and for administrators
 * ({@code /admin/…/sessions}). Every revocation updates Postgres first and then leaves a tombstone in the cache
 * ({@link SessionCache#revoke}), so the session is refused by every instance at once and no cache refill brings
 * it back. Deleting an identity is one of them ({@link #deleteIdentity}): its sessions end with it.
 */
@Singleton
public class SessionDirectory {

    private final SessionRepository sessions;
    private final IdentityRepository identities;
    private final SessionIssuer issuer;
    private final SessionCache cache;
    private final SessionAudit audit;
    private final Clock clock;

    public SessionDirectory(SessionRepository sessions, IdentityRepository identities, SessionIssuer issuer,
                            SessionCache cache, SessionAudit audit, Clock clock) {
        this.sessions = sessions;
        this.identities = identities;
        this.issuer = issuer;
        this.cache = cache;
        this.audit = audit;
        this.clock = clock;
    }

    /** The caller's other active sessions. */
    public Uni<List<SessionView>> othersOf(SessionCache.Entry current) {
        return Panache.withSession(() -> identityOf(current.identityId())
                .chain(identity -> sessions.activeOf(identity.id, clock.instant())
                        .map(list -> views(list, identity, s -> !s.id.equals(current.sessionId())))));
    }

    /** Ends all the caller's other sessions; returns how many. */
    public Uni<Integer> revokeOthers(SessionCache.Entry current, String via) {
        return revokeMatching(current.identityId(), s -> !s.id.equals(current.sessionId()), via);
    }

    /** Ends one of the caller's sessions (404 for anyone else's; 400 for the current one: use logout). */
    public Uni<Void> revokeOwn(SessionCache.Entry current, UUID sessionId) {
        if (sessionId.equals(current.sessionId())) {
            return Uni.createFrom().failure(ApiException.badRequest(
                    "This is the current session; end it with the logout endpoint."));
        }
        return revokeMatching(current.identityId(), s -> s.id.equals(sessionId), "user")
                .invoke(count -> {
                    if (count == 0) {
                        throw ApiException.notFound("Unable to locate the resource");
                    }
                }).replaceWithVoid();
    }

    /** Every session of an identity (admin). */
    public Uni<List<SessionView>> allOf(UUID identityId) {
        return Panache.withSession(() -> identityOf(identityId)
                .chain(identity -> sessions.allOf(identityId).map(list -> views(list, identity, s -> true))));
    }

    /** Ends every session of an identity (admin). */
    public Uni<Integer> revokeAll(UUID identityId, String via) {
        return revokeMatching(identityId, s -> true, via);
    }

    /**
     * Deletes an identity (admin): its codes and sessions cascade in Postgres, and its cached sessions are
     * tombstoned. Its sessions are locked before the identity row goes, so a token rotation (AAL2 upgrade) running
     * at the same time either finishes first (and its new token is tombstoned here) or finds nothing left.
     */
    public Uni<Void> deleteIdentity(UUID identityId) {
        return deleteRows(identityId)
                .call(cache::revokeAll)
                .invoke(hashes -> audit.revoked(hashes.size(), "identity_deleted"))
                .invoke(() -> Log.infof("audit identity.deleted id=%s", identityId))
                .replaceWithVoid();
    }

    /** The token hashes of the deleted identity's sessions. */
    private Uni<List<byte[]>> deleteRows(UUID identityId) {
        return Panache.withTransaction(() -> identityOf(identityId)
                .chain(identity -> sessions.tokenHashesOfLocked(identityId)
                        .call(hashes -> identities.delete(identity))));
    }

    /** One session by id (admin). */
    public Uni<SessionView> get(UUID sessionId) {
        return Panache.withSession(() -> sessions.findById(sessionId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Unable to locate the resource"))
                .chain(session -> identityOf(session.identityId).map(identity -> issuer.view(session, identity))));
    }

    /** Ends one session by id (admin). */
    public Uni<Void> revoke(UUID sessionId, String via) {
        return Panache.withTransaction(() -> sessions.findByIdLocked(sessionId)
                        .onItem().ifNull().failWith(() -> ApiException.notFound("Unable to locate the resource"))
                        .call(session -> sessions.revokeByTokenHash(session.tokenHash, clock.instant(), via)))
                .call(session -> cache.revoke(session.tokenHash))
                .invoke(() -> audit.revoked(1, via))
                .replaceWithVoid();
    }

    /**
     * Invalidates every cached active session of the identity (after its second factors changed), so each
     * instance re-reads them from Postgres with the identity's new available AAL, and no refill that read the
     * old state can write it back. The sessions stay valid.
     */
    public Uni<Void> invalidateCached(UUID identityId) {
        return Panache.withSession(() -> sessions.activeTokenHashesOf(identityId, clock.instant()))
                .chain(cache::invalidateAll);
    }

    private Uni<Integer> revokeMatching(UUID identityId, Predicate<AuthSession> which, String via) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> identityOf(identityId)
                        .chain(identity -> sessions.activeOfLocked(identityId, now))
                        .map(list -> list.stream().filter(which).toList())
                        .call(chosen -> sessions.revokeIds(chosen.stream().map(s -> s.id).toList(), now, via)))
                .call(chosen -> cache.revokeAll(chosen.stream().map(s -> s.tokenHash).toList()))
                .invoke(chosen -> audit.revoked(chosen.size(), via))
                .map(List::size);
    }

    private Uni<Identity> identityOf(UUID identityId) {
        return identities.findById(identityId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Unable to locate the resource"));
    }

    private List<SessionView> views(List<AuthSession> list, Identity identity, Predicate<AuthSession> which) {
        return list.stream().filter(which).map(s -> issuer.view(s, identity)).toList();
    }
}
