package dev.iris.method.lookupsecret;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.iris.identity.IdentityRepository;
import dev.iris.crypto.CodeHasher;
import dev.iris.crypto.RandomSecrets;
import dev.iris.crypto.SecretCipher;
import dev.iris.support.StoredJson;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The identity's backup codes, for the {@code lookup_secret} method: 12 codes, shown once, stored only as HMACs
 * bound to the identity, each good for one use (guarded {@code UPDATE … WHERE used_at IS NULL}). A new set replaces
 * the old one.
 */
@Singleton
public class BackupCodes {

    public static final int CODES = 12;

    private final LookupSecretRepository secrets;
    private final IdentityRepository identities;
    private final CodeHasher hasher;
    private final RandomSecrets random;
    private final SecretCipher cipher;
    private final StoredJson json;
    private final Clock clock;

    public BackupCodes(LookupSecretRepository secrets, IdentityRepository identities, CodeHasher hasher,
                              RandomSecrets random, SecretCipher cipher, StoredJson json, Clock clock) {
        this.secrets = secrets;
        this.identities = identities;
        this.hasher = hasher;
        this.random = random;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
    }

    /** A fresh set, sealed for keeping in the settings flow until the user confirms it. */
    public String newSealedSet() {
        List<String> codes = IntStream.range(0, CODES).mapToObj(i -> random.backupCode()).toList();
        return cipher.sealText(json.write(codes));
    }

    public List<String> open(String sealedSet) {
        return json.read(cipher.openText(sealedSet), new TypeReference<List<String>>() {
        });
    }

    public Uni<Long> unusedCount(UUID identityId) {
        return Panache.withSession(() -> secrets.countUnused(identityId));
    }

    /**
     * Stores the confirmed set in place of any earlier one (whose codes stop working). The identity is locked
     * first: two concurrent confirms (a double click) would otherwise both delete the rows they see and both
     * insert the set, and every code would exist several times, each copy usable once (SecondFactorTest saw
     * 84 rows for 12 codes).
     */
    public Uni<Void> replace(UUID identityId, String sealedSet) {
        Instant now = clock.instant();
        List<LookupSecret> rows = open(sealedSet).stream().map(code -> row(identityId, code, now)).toList();
        return Panache.withTransaction(() -> identities.lockForUpdate(identityId)
                .chain(() -> secrets.deleteAllOf(identityId))
                .call(() -> secrets.persist(rows))
                .call(secrets::flush)
                .call(() -> identities.refreshAvailableAal(identityId, now))
                .replaceWithVoid());
    }

    /** True once per code: the matching unused code is consumed; false for a wrong or used code. */
    public Uni<Boolean> redeem(UUID identityId, String given) {
        if (given == null || given.isBlank() || given.length() > 64) {
            return Uni.createFrom().item(false);
        }
        String code = normalise(given);
        Instant now = clock.instant();
        return Panache.withTransaction(() -> secrets.unusedOf(identityId).chain(unused -> {
            LookupSecret match = null;
            for (LookupSecret candidate : unused) { // every candidate compared: constant work per set
                if (hasher.matches(context(identityId), code, candidate.codeHash) && match == null) {
                    match = candidate;
                }
            }
            if (match == null) {
                return Uni.createFrom().item(false);
            }
            return secrets.consume(match.id, now)
                    .call(() -> identities.refreshAvailableAal(identityId, now))
                    .map(updated -> updated == 1);
        }));
    }

    /** Removes every backup code of the identity. */
    public Uni<Void> disable(UUID identityId) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> identities.lockForUpdate(identityId)
                .chain(() -> secrets.deleteAllOf(identityId))
                .call(() -> identities.refreshAvailableAal(identityId, now))
                .replaceWithVoid());
    }

    private LookupSecret row(UUID identityId, String code, Instant now) {
        LookupSecret row = new LookupSecret();
        row.id = UUID.randomUUID();
        row.identityId = identityId;
        row.codeHash = hasher.sign(context(identityId), code);
        row.createdAt = now;
        return row;
    }

    private static String normalise(String given) {
        return given.strip().replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static String context(UUID identityId) {
        return "lookup_secret:" + identityId;
    }
}
