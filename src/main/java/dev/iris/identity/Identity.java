package dev.iris.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A person who can sign in: one normalised, unique email address. */
@Entity
@Table(name = "identities")
public class Identity {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, columnDefinition = "text")
    public String email;

    @Column(nullable = false, columnDefinition = "text")
    public String state;

    @Column(name = "address_id", nullable = false)
    public UUID addressId;

    @Column(name = "email_verified", nullable = false)
    public boolean emailVerified;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The preferred language (the {@code locale} trait: one of {@code support.Languages}), or null for none. */
    @Column(columnDefinition = "text")
    public String locale;

    /** {@code aal2} once a second factor (TOTP or unused backup codes) is set up, else {@code aal1}. */
    @Column(name = "available_aal", nullable = false, columnDefinition = "text")
    public String availableAal = "aal1";

    public static Identity create(String normalisedEmail, Instant now) {
        Identity identity = new Identity();
        identity.id = UUID.randomUUID();
        identity.email = normalisedEmail;
        identity.state = "active";
        identity.addressId = UUID.randomUUID();
        identity.emailVerified = false;
        identity.createdAt = now;
        identity.updatedAt = now;
        return identity;
    }

    public boolean hasSecondFactor() {
        return "aal2".equals(availableAal);
    }

    public void markVerified(Instant now) {
        if (!emailVerified) {
            emailVerified = true;
            verifiedAt = now;
            updatedAt = now;
        }
    }
}
