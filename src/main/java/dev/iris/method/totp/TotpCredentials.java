package dev.iris.method.totp;

import dev.iris.config.IrisConfig;
import dev.iris.identity.IdentityRepository;
import dev.iris.crypto.SecretCipher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The identity's authenticator app, for the {@code totp} method: enrol it, check its codes, unlink it. Secrets
 * are sealed with AES-GCM before they reach Postgres (or the settings flow in Redis). A code is accepted at most once: the step
 * it belongs to must be later than the last accepted step, moved forward by one guarded {@code UPDATE}.
 */
@Singleton
public class TotpCredentials {

    private final TotpRepository credentials;
    private final IdentityRepository identities;
    private final SecretCipher cipher;
    private final String issuer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TotpCredentials(TotpRepository credentials, IdentityRepository identities, SecretCipher cipher,
                      IrisConfig config, Clock clock) {
        this.credentials = credentials;
        this.identities = identities;
        this.cipher = cipher;
        this.issuer = config.totp().issuer();
        this.clock = clock;
    }

    /** A new 160-bit secret in base32, sealed for keeping in a flow until the user confirms it. */
    public String newSealedSecret() {
        byte[] secret = new byte[Totp.SECRET_BYTES];
        random.nextBytes(secret);
        return cipher.sealText(Totp.base32(secret));
    }

    /** What the enrolment form shows: the QR code (of the {@code otpauth://} URI) and the secret in text. */
    public record Enrolment(String secret, String qrDataUri) {
    }

    public Enrolment enrolment(String sealedSecret, String account) {
        String secret = cipher.openText(sealedSecret);
        return new Enrolment(secret, QrImage.svgDataUri(Totp.uri(issuer, account, secret)));
    }

    public Uni<Boolean> enrolled(UUID identityId) {
        return Panache.withSession(() -> credentials.findById(identityId).map(found -> found != null));
    }

    /**
     * Stores the authenticator if {@code code} proves the user has the secret; false for a wrong code (or when
     * one is enrolled already). The accepted step is recorded, so the confirming code cannot be replayed.
     */
    public Uni<Boolean> enrol(UUID identityId, String sealedSecret, String code) {
        Instant now = clock.instant();
        byte[] secret = Totp.fromBase32(cipher.openText(sealedSecret));
        OptionalLong step = Totp.matchingStep(secret, code, now);
        if (step.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        // Locked first: of two concurrent enrolments (a double click) the second sees the first one's row and
        // answers false, instead of failing on the primary key.
        return Panache.withTransaction(() -> identities.lockForUpdate(identityId)
                .chain(() -> credentials.findById(identityId))
                .chain(existing -> existing != null ? Uni.createFrom().item(false)
                        : store(identityId, secret, step.getAsLong(), now)));
    }

    private Uni<Boolean> store(UUID identityId, byte[] secret, long step, Instant now) {
        TotpCredential credential = new TotpCredential();
        credential.identityId = identityId;
        credential.secretSealed = cipher.seal(Totp.base32(secret).getBytes(StandardCharsets.US_ASCII));
        credential.lastStep = step;
        credential.createdAt = now;
        return credentials.persist(credential)
                .call(credentials::flush)
                .call(() -> identities.refreshAvailableAal(identityId, now))
                .replaceWith(true);
    }

    /** True once for a code of the identity's authenticator; false for a wrong, stale or replayed code. */
    public Uni<Boolean> verify(UUID identityId, String code) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> credentials.findById(identityId).chain(credential -> {
            if (credential == null) {
                return Uni.createFrom().item(false);
            }
            byte[] secret = Totp.fromBase32(new String(cipher.open(credential.secretSealed), StandardCharsets.US_ASCII));
            OptionalLong step = Totp.matchingStep(secret, code, now);
            if (step.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            return credentials.acceptStep(identityId, step.getAsLong()).map(updated -> updated == 1);
        }));
    }

    /** Removes the authenticator; true when there was one. */
    public Uni<Boolean> unlink(UUID identityId) {
        Instant now = clock.instant();
        // The delete is flushed before the level is recomputed: the native UPDATE does not flush the session, and
        // read the credential still there (the identity stayed "aal2" with no factor left).
        return Panache.withTransaction(() -> identities.lockForUpdate(identityId)
                .chain(() -> credentials.deleteById(identityId))
                .call(credentials::flush)
                .call(() -> identities.refreshAvailableAal(identityId, now)));
    }
}
