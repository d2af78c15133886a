package dev.iris.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Singleton
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    static final int MAX_LISTED = 1000;

    public Uni<AuthSession> findByTokenHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    public Uni<List<byte[]>> tokenHashesOf(UUID identityId) {
        return getSession().chain(session -> session
                .createSelectionQuery("select s.tokenHash from AuthSession s where s.identityId = :id", byte[].class)
                .setParameter("id", identityId)
                .getResultList());
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

    /** Revokes by token hash; returns how many rows changed (0 for unknown or already revoked). */
    public Uni<Integer> revokeByTokenHash(byte[] tokenHash, Instant now) {
        return update("revokedAt = ?1 where tokenHash = ?2 and revokedAt is null", now, tokenHash);
    }

    /** Revokes the given sessions in one statement. */
    public Uni<Integer> revokeIds(List<UUID> ids, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return update("revokedAt = ?1 where id in ?2 and revokedAt is null", now, ids);
    }

    /** Sliding expiry: moves {@code expires_at} forward for a live session; 1 when it did. */
    public Uni<Integer> extend(byte[] tokenHash, Instant newExpiry, Instant now) {
        return update("expiresAt = ?1 where tokenHash = ?2 and revokedAt is null and expiresAt > ?3 and expiresAt < ?1",
                newExpiry, tokenHash, now);
    }
}
