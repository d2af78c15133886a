package dev.iris.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<Identity, UUID> {

    public Uni<Identity> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }
}
