package dev.iris.method.lookupsecret;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Singleton
public class LookupSecretRepository implements PanacheRepositoryBase<LookupSecret, UUID> {

    public Uni<List<LookupSecret>> unusedOf(UUID identityId) {
        return list("identityId = ?1 and usedAt is null", identityId);
    }

    public Uni<Long> countUnused(UUID identityId) {
        return count("identityId = ?1 and usedAt is null", identityId);
    }

    /** Single use: only one caller moves {@code used_at} from null (1), everyone else gets 0. */
    public Uni<Integer> consume(UUID id, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null", now, id);
    }

    public Uni<Long> deleteAllOf(UUID identityId) {
        return delete("identityId", identityId);
    }
}
