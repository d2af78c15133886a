package dev.iris.method.code;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class LoginCodeRepository implements PanacheRepositoryBase<LoginCode, UUID> {

    /** Marks every open code of the flow as used, so a resend kills the earlier code and link. */
    public Uni<Integer> invalidateOpen(UUID flowId, Instant now) {
        return update("usedAt = ?1 where flowId = ?2 and usedAt is null", now, flowId);
    }

    /** The flow's newest unused code, or {@code null}. */
    public Uni<LoginCode> findOpen(UUID flowId) {
        return find("flowId = ?1 and usedAt is null order by createdAt desc", flowId).firstResult();
    }

    /**
     * The single-use guard: only one caller can move {@code used_at} from null, and only before expiry.
     * Returns 1 for the winner and 0 for everyone else, across any number of instances.
     */
    public Uni<Integer> consume(UUID codeId, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, codeId);
    }
}
