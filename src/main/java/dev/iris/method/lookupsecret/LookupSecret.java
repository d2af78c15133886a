package dev.iris.method.lookupsecret;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One backup code of an identity: only its HMAC is stored; {@code used_at} makes it single use. */
@Entity
@Table(name = "lookup_secrets")
public class LookupSecret {

    @Id
    public UUID id;

    @Column(name = "identity_id", nullable = false)
    public UUID identityId;

    @Column(name = "code_hash", nullable = false)
    public byte[] codeHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "used_at")
    public Instant usedAt;
}
