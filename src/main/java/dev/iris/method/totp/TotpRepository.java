package dev.iris.method.totp;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.UUID;

@Singleton
public class TotpRepository implements PanacheRepositoryBase<TotpCredential, UUID> {

    /**
     * The replay guard: moves {@code last_step} forward to {@code step} only if no code of this or a later step
     * was accepted before. 1 for the one caller that wins, 0 for a replay — on any number of instances.
     */
    public Uni<Integer> acceptStep(UUID identityId, long step) {
        return update("lastStep = ?1 where identityId = ?2 and (lastStep is null or lastStep < ?1)", step, identityId);
    }
}
