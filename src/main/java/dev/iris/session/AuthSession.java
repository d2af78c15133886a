package dev.iris.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A signed-in session. Only the SHA-256 of its bearer token is stored. */
@Entity
@Table(name = "sessions")
public class AuthSession {

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public byte[] tokenHash;

    @Column(name = "identity_id", nullable = false)
    public UUID identityId;

    @Column(nullable = false, columnDefinition = "text")
    public String aal;

    /** JSON array of {@code {method, aal, completed_at}}. */
    @Column(nullable = false, columnDefinition = "text")
    public String methods;

    @Column(name = "authenticated_at", nullable = false)
    public Instant authenticatedAt;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Why it ended (logout, user, admin), for the session.revoked event; null while active. */
    @Column(name = "revoked_reason", columnDefinition = "text")
    public String revokedReason;

    @Column(name = "device_id", nullable = false)
    public UUID deviceId;

    @Column(name = "ip_address", columnDefinition = "text")
    public String ipAddress;

    @Column(name = "user_agent", columnDefinition = "text")
    public String userAgent;

    public boolean activeAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
