package dev.iris.credential;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * The owner of {@code webauthn_credentials}: one row per passkey, public data only. Used by the passkey method
 * (ceremonies) and the admin API (listing, removal); rows go with their identity ({@code ON DELETE CASCADE}).
 */
@Singleton
public class PasskeyStore {

    private static final String COLUMNS = "credential_id, identity_id, user_handle, public_key, aaguid, sign_count, "
            + "transports, uv_initialized, backup_eligible, backup_state, display_name, created_at, last_used_at";

    /**
     * The counter moves forward only (or stays 0 for authenticators that do not count): a regression is refused in
     * the statement itself, so two racing uses of one assertion cannot both pass this step.
     */
    private static final String USED = """
            UPDATE webauthn_credentials SET sign_count = $2, backup_state = $3, last_used_at = $4
            WHERE credential_id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))""";

    private final Pool pool;

    public PasskeyStore(Pool pool) {
        this.pool = pool;
    }

    /** A stored passkey. */
    public record Passkey(byte[] credentialId, UUID identityId, byte[] userHandle, byte[] publicKey, UUID aaguid,
                          long signCount, String transports, boolean uvInitialized, boolean backupEligible,
                          boolean backupState, String displayName, Instant createdAt, Instant lastUsedAt) {
    }

    public Uni<Passkey> find(byte[] credentialId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webauthn_credentials WHERE credential_id = $1 "
                        + "AND kind = 'passkey'")
                .execute(Tuple.of(Buffer.buffer(credentialId)))
                .map(rows -> {
                    Iterator<Row> iterator = rows.iterator();
                    return iterator.hasNext() ? passkey(iterator.next()) : null;
                });
    }

    /** The identity's passkeys, oldest first. */
    public Uni<List<Passkey>> of(UUID identityId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webauthn_credentials WHERE identity_id = $1 "
                        + "AND kind = 'passkey' ORDER BY created_at, credential_id")
                .execute(Tuple.of(identityId))
                .map(rows -> {
                    List<Passkey> passkeys = new ArrayList<>();
                    rows.forEach(row -> passkeys.add(passkey(row)));
                    return passkeys;
                });
    }

    /** Stores a new passkey; false when its credential id is registered already (to anyone). */
    public Uni<Boolean> insert(Passkey passkey) {
        return pool.preparedQuery("""
                        INSERT INTO webauthn_credentials (credential_id, identity_id, kind, user_handle, public_key,
                            aaguid, sign_count, transports, uv_initialized, backup_eligible, backup_state, display_name,
                            created_at)
                        VALUES ($1, $2, 'passkey', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                        ON CONFLICT (credential_id) DO NOTHING""")
                .execute(Tuple.from(List.of(Buffer.buffer(passkey.credentialId()), passkey.identityId(),
                        Buffer.buffer(passkey.userHandle()), Buffer.buffer(passkey.publicKey()), passkey.aaguid(),
                        passkey.signCount(), passkey.transports(), passkey.uvInitialized(), passkey.backupEligible(),
                        passkey.backupState(), passkey.displayName(), utc(passkey.createdAt()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records a verified use; false when the counter did not move forward (a possible clone, or a replay). */
    public Uni<Boolean> used(byte[] credentialId, long signCount, boolean backupState, Instant now) {
        return pool.preparedQuery(USED)
                .execute(Tuple.of(Buffer.buffer(credentialId), signCount, backupState, utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Removes one of the identity's passkeys; false when it has none with that id. */
    public Uni<Boolean> remove(UUID identityId, byte[] credentialId) {
        return pool.preparedQuery("DELETE FROM webauthn_credentials WHERE identity_id = $1 AND credential_id = $2 "
                        + "AND kind = 'passkey'")
                .execute(Tuple.of(identityId, Buffer.buffer(credentialId)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Removes every passkey of the identity; how many there were. */
    public Uni<Integer> removeAll(UUID identityId) {
        return pool.preparedQuery("DELETE FROM webauthn_credentials WHERE identity_id = $1 AND kind = 'passkey'")
                .execute(Tuple.of(identityId)).map(rows -> rows.rowCount());
    }

    private static Passkey passkey(Row row) {
        OffsetDateTime lastUsed = row.getOffsetDateTime("last_used_at");
        return new Passkey(row.getBuffer("credential_id").getBytes(), row.getUUID("identity_id"),
                row.getBuffer("user_handle").getBytes(), row.getBuffer("public_key").getBytes(), row.getUUID("aaguid"),
                row.getLong("sign_count"), row.getString("transports"), row.getBoolean("uv_initialized"),
                row.getBoolean("backup_eligible"), row.getBoolean("backup_state"), row.getString("display_name"),
                row.getOffsetDateTime("created_at").toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
