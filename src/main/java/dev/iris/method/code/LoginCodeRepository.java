package dev.iris.method.code;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

@Singleton
public class LoginCodeRepository implements PanacheRepositoryBase<LoginCode, UUID> {

    private static final String CONSUME = CodeStore.consuming(":id", ":now");

    /**
     * Spends the code in the caller's transaction with the single-use guard ({@link CodeStore#consuming}): 1 for
     * the winner, 0 for everyone else, across any number of instances.
     */
    public Uni<Integer> consume(UUID codeId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(CONSUME)
                .setParameter("id", codeId)
                .setParameter("now", now)
                .executeUpdate());
    }
}
