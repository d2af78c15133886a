package dev.iris.method.totp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An identity's TOTP authenticator. The secret is stored only sealed (AES-GCM, {@code iris.secrets.cipher}). */
@Entity
@Table(name = "totp_credentials")
public class TotpCredential {

    @Id
    @Column(name = "identity_id")
    public UUID identityId;

    @Column(name = "secret_sealed", nullable = false)
    public byte[] secretSealed;

    /** The newest time step accepted; only a later step is accepted next (no replay). */
    @Column(name = "last_step")
    public Long lastStep;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
