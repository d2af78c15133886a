package dev.iris.identity;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Singleton
public class IdentityRepository implements PanacheRepositoryBase<Identity, UUID> {

    public Uni<Identity> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }

    /** The identity's address, or {@code null} when there is no such identity. */
    public Uni<String> emailOf(UUID identityId) {
        return getSession().chain(session -> session
                .createSelectionQuery("select i.email from Identity i where i.id = :id", String.class)
                .setParameter("id", identityId)
                .getSingleResultOrNull());
    }

    /** The preferred language of the identity with this address, or {@code null} (none chosen, or no identity). */
    public Uni<String> localeOf(String normalisedEmail) {
        return getSession().chain(session -> session
                .createSelectionQuery("select i.locale from Identity i where i.email = :email", String.class)
                .setParameter("email", normalisedEmail)
                .getSingleResultOrNull());
    }

    /** Sets (or, with {@code null}, clears) the identity's preferred language. */
    public Uni<Integer> setLocale(UUID identityId, String locale, Instant now) {
        return getSession().chain(session -> session
                .createMutationQuery("update Identity i set i.locale = :locale, i.updatedAt = :now where i.id = :id")
                .setParameter("locale", locale)
                .setParameter("now", now)
                .setParameter("id", identityId)
                .executeUpdate());
    }

    /**
     * Creates a verified identity unless the address already has one. {@code ON CONFLICT DO NOTHING} makes two
     * racing sign-ups for one address end with one identity and no error; the caller then reads it by address.
     * Returns true when this call created it.
     */
    public Uni<Boolean> insertVerifiedIfAbsent(String normalisedEmail, Instant now) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO identities (id, email, state, address_id, email_verified, verified_at,
                                                created_at, updated_at)
                        VALUES (:id, :email, 'active', :addressId, true, :now, :now, :now)
                        ON CONFLICT (email) DO NOTHING""")
                .setParameter("id", UUID.randomUUID())
                .setParameter("email", normalisedEmail)
                .setParameter("addressId", UUID.randomUUID())
                .setParameter("now", now)
                .executeUpdate()
                .map(rows -> rows == 1));
    }

    /**
     * Locks the identity's row until the caller's transaction ends ({@code SELECT … FOR UPDATE}): changes to one
     * identity's second factors run one after the other, each seeing what the previous one committed.
     */
    public Uni<Identity> lockForUpdate(UUID identityId) {
        return findById(identityId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The level an identity's second factors allow, as an SQL expression over the {@code identities} row being
     * updated: AAL2 while it has a TOTP app, an unused backup code or a security key (passkeys are first factors).
     * Every statement that recomputes the level uses this one expression.
     */
    public static final String AVAILABLE_AAL = """
            CASE WHEN EXISTS (SELECT 1 FROM totp_credentials t WHERE t.identity_id = identities.id)
                   OR EXISTS (SELECT 1 FROM lookup_secrets l WHERE l.identity_id = identities.id AND l.used_at IS NULL)
                   OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.identity_id = identities.id
                              AND w.kind = 'webauthn')
                 THEN 'aal2' ELSE 'aal1' END""";

    /**
     * Recomputes {@code available_aal} from the second factors the identity holds now ({@link #AVAILABLE_AAL}),
     * in one statement inside the caller's transaction.
     */
    public Uni<Integer> refreshAvailableAal(UUID identityId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(
                        "UPDATE identities SET updated_at = :now, available_aal = " + AVAILABLE_AAL + " WHERE id = :id")
                .setParameter("id", identityId)
                .setParameter("now", now)
                .executeUpdate());
    }

    /** One page in id order, after {@code afterId} (exclusive) when given: key-set pagination. */
    public Uni<List<Identity>> page(UUID afterId, String email, int size) {
        StringBuilder query = new StringBuilder("from Identity i where 1 = 1");
        if (afterId != null) {
            query.append(" and i.id > :after");
        }
        if (email != null) {
            query.append(" and i.email = :email");
        }
        query.append(" order by i.id");
        return getSession().chain(session -> {
            var selection = session.createSelectionQuery(query.toString(), Identity.class).setMaxResults(size);
            if (afterId != null) {
                selection.setParameter("after", afterId);
            }
            if (email != null) {
                selection.setParameter("email", email);
            }
            return selection.getResultList();
        });
    }
}
