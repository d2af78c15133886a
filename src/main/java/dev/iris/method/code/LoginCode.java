package dev.iris.method.code;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * The two secrets sent for one flow: the 6-digit code and the link token, stored only as HMACs. A row
 * without an identity belongs to an address nobody registered: it is written so both paths do the same
 * work, and can never be redeemed.
 */
@Entity
@Table(name = "login_codes")
public class LoginCode {

    @Id
    public UUID id;

    @Column(name = "flow_id", nullable = false)
    public UUID flowId;

    @Column(name = "identity_id")
    public UUID identityId;

    @Column(name = "code_hash", nullable = false)
    public byte[] codeHash;

    @Column(name = "link_hash", nullable = false)
    public byte[] linkHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;
}
