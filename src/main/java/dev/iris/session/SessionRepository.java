package dev.iris.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    public Uni<AuthSession> findByTokenHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    public Uni<List<byte[]>> tokenHashesOf(UUID identityId) {
        return getSession().chain(session -> session
                .createSelectionQuery("select s.tokenHash from AuthSession s where s.identityId = :id", byte[].class)
                .setParameter("id", identityId)
                .getResultList());
    }

    /** Revokes by token hash; returns how many rows changed (0 for unknown or already revoked). */
    public Uni<Integer> revokeByTokenHash(byte[] tokenHash, Instant now) {
        return update("revokedAt = ?1 where tokenHash = ?2 and revokedAt is null", now, tokenHash);
    }
}
