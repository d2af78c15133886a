package dev.iris.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Singleton
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    static final int MAX_LISTED = 1000;

    public Uni<AuthSession> findByTokenHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    /*
     * The ...Locked reads take the rows FOR UPDATE. A token rotation (AAL2 upgrade) changes a session's token hash
     * under the same lock, so a revocation that locks first makes the upgrade find the session revoked, and one
     * that waits reads the rotated hash and tombstones that one: neither can leave a live token behind.
     */

    /** The session holding the token hash, locked until the transaction ends. */
    public Uni<AuthSession> findByTokenHashLocked(byte[] tokenHash) {
        return find("tokenHash", tokenHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** One session by id, locked until the transaction ends. */
    public Uni<AuthSession> findByIdLocked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Token hashes of every session of an identity, the rows locked until the transaction ends. */
    public Uni<List<byte[]>> tokenHashesOfLocked(UUID identityId) {
        return find("identityId = ?1 order by id", identityId).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .map(list -> list.stream().map(s -> s.tokenHash).toList());
    }

    /** {@link #activeOf}, the rows locked until the transaction ends. */
    public Uni<List<AuthSession>> activeOfLocked(UUID identityId, Instant now) {
        return find("identityId = ?1 and revokedAt is null and expiresAt > ?2 order by issuedAt desc", identityId, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).range(0, MAX_LISTED - 1).list();
    }

    /** Token hashes of the identity's active sessions. */
    public Uni<List<byte[]>> activeTokenHashesOf(UUID identityId, Instant now) {
        return getSession().chain(session -> session
                .createSelectionQuery("select s.tokenHash from AuthSession s where s.identityId = :id"
                        + " and s.revokedAt is null and s.expiresAt > :now", byte[].class)
                .setParameter("id", identityId)
                .setParameter("now", now)
                .getResultList());
    }

    /** Active sessions of an identity, newest first. */
    public Uni<List<AuthSession>> activeOf(UUID identityId, Instant now) {
        return find("identityId = ?1 and revokedAt is null and expiresAt > ?2 order by issuedAt desc", identityId, now)
                .range(0, MAX_LISTED - 1).list();
    }

    /** Every session of an identity, active or not, newest first. */
    public Uni<List<AuthSession>> allOf(UUID identityId) {
        return find("identityId = ?1 order by issuedAt desc", identityId).range(0, MAX_LISTED - 1).list();
    }

    /**
     * Revokes by token hash; returns how many rows changed (0 for unknown or already revoked). {@code reason}
     * (logout, user, admin) is kept with the row and carried by the session.revoked event.
     */
    public Uni<Integer> revokeByTokenHash(byte[] tokenHash, Instant now, String reason) {
        return update("revokedAt = ?1, revokedReason = ?3 where tokenHash = ?2 and revokedAt is null", now, tokenHash,
                reason);
    }

    /** Revokes the given sessions in one statement. */
    public Uni<Integer> revokeIds(List<UUID> ids, Instant now, String reason) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return update("revokedAt = ?1, revokedReason = ?3 where id in ?2 and revokedAt is null", now, ids, reason);
    }

    /** Sliding expiry: moves {@code expires_at} forward for a live session; 1 when it did. */
    public Uni<Integer> extend(byte[] tokenHash, Instant newExpiry, Instant now) {
        return update("expiresAt = ?1 where tokenHash = ?2 and revokedAt is null and expiresAt > ?3 and expiresAt < ?1",
                newExpiry, tokenHash, now);
    }
}
