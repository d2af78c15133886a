package dev.iris.method.code;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

@Singleton
public class LoginCodeRepository implements PanacheRepositoryBase<LoginCode, UUID> {

    /**
     * The single-use guard: only one caller can move {@code used_at} from null, and only before expiry.
     * Returns 1 for the winner and 0 for everyone else, across any number of instances.
     */
    public Uni<Integer> consume(UUID codeId, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, codeId);
    }
}
