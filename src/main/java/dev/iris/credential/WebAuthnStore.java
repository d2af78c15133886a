package dev.iris.credential;

import dev.iris.identity.IdentityRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The owner of {@code webauthn_credentials}: one row per WebAuthn credential, public data only — passkeys (a first
 * factor, {@link Kind#PASSKEY}) and security keys (a second factor, {@link Kind#SECURITY_KEY}, Kratos's
 * {@code webauthn}). Used by the two methods (ceremonies) and the admin API (listing, removal); rows go with their
 * identity ({@code ON DELETE CASCADE}). A security key is a second factor, so adding or removing one recomputes the
 * identity's {@code available_aal} in the same transaction, under the identity's row lock (as TOTP and backup codes
 * do), so two racing removals cannot leave "AAL2 available" with nothing left to prove it.
 */
@Singleton
public class WebAuthnStore {

    private static final String COLUMNS = "credential_id, identity_id, kind, user_handle, public_key, aaguid, "
            + "sign_count, transports, uv_initialized, backup_eligible, backup_state, display_name, created_at, "
            + "last_used_at";

    /**
     * The counter moves forward only (or stays 0 for authenticators that do not count): a regression is refused in
     * the statement itself, so two racing uses of one assertion cannot both pass this step.
     */
    private static final String USED = """
            UPDATE webauthn_credentials SET sign_count = $2, backup_state = $3, last_used_at = $4
            WHERE credential_id = $1 AND (sign_count < $2 OR (sign_count = 0 AND $2 = 0))""";

    private static final String INSERT = """
            INSERT INTO webauthn_credentials (credential_id, identity_id, kind, user_handle, public_key,
                aaguid, sign_count, transports, uv_initialized, backup_eligible, backup_state, display_name,
                created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (credential_id) DO NOTHING""";

    private static final String LOCK_IDENTITY = "SELECT id FROM identities WHERE id = $1 FOR UPDATE";

    private static final String REFRESH_AAL = "UPDATE identities SET updated_at = $2, available_aal = "
            + IdentityRepository.AVAILABLE_AAL + " WHERE id = $1";

    private final Pool pool;

    public WebAuthnStore(Pool pool) {
        this.pool = pool;
    }

    /** What a credential is for; the value is the {@code kind} column (Kratos's credential type). */
    public enum Kind {
        PASSKEY("passkey"), SECURITY_KEY("webauthn");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static Kind of(String column) {
            return column.equals(SECURITY_KEY.column) ? SECURITY_KEY : PASSKEY;
        }
    }

    /** A stored credential. */
    public record Credential(byte[] credentialId, Kind kind, UUID identityId, byte[] userHandle, byte[] publicKey,
                             UUID aaguid, long signCount, String transports, boolean uvInitialized,
                             boolean backupEligible, boolean backupState, String displayName, Instant createdAt,
                             Instant lastUsedAt) {
    }

    /** The credential of this kind with that id, or null. */
    public Uni<Credential> find(byte[] credentialId, Kind kind) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webauthn_credentials WHERE credential_id = $1 "
                        + "AND kind = $2")
                .execute(Tuple.of(Buffer.buffer(credentialId), kind.column()))
                .map(rows -> {
                    Iterator<Row> iterator = rows.iterator();
                    return iterator.hasNext() ? credential(iterator.next()) : null;
                });
    }

    /** The identity's credentials of this kind, oldest first. */
    public Uni<List<Credential>> of(UUID identityId, Kind kind) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webauthn_credentials WHERE identity_id = $1 "
                        + "AND kind = $2 ORDER BY created_at, credential_id")
                .execute(Tuple.of(identityId, kind.column()))
                .map(WebAuthnStore::credentials);
    }

    /** Every credential of the identity, of either kind (a new one must not repeat any of them). */
    public Uni<List<Credential>> all(UUID identityId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webauthn_credentials WHERE identity_id = $1 "
                        + "ORDER BY created_at, credential_id")
                .execute(Tuple.of(identityId))
                .map(WebAuthnStore::credentials);
    }

    /** Stores a new credential; false when its id is registered already (to anyone). */
    public Uni<Boolean> insert(Credential credential) {
        return changing(credential.identityId(), credential.kind(), credential.createdAt(), connection ->
                connection.preparedQuery(INSERT).execute(Tuple.from(List.of(Buffer.buffer(credential.credentialId()),
                        credential.identityId(), credential.kind().column(), Buffer.buffer(credential.userHandle()),
                        Buffer.buffer(credential.publicKey()), credential.aaguid(), credential.signCount(),
                        credential.transports(), credential.uvInitialized(), credential.backupEligible(),
                        credential.backupState(), credential.displayName(), utc(credential.createdAt())))))
                .map(count -> count == 1);
    }

    /** Records a verified use; false when the counter did not move forward (a possible clone, or a replay). */
    public Uni<Boolean> used(byte[] credentialId, long signCount, boolean backupState, Instant now) {
        return pool.preparedQuery(USED)
                .execute(Tuple.of(Buffer.buffer(credentialId), signCount, backupState, utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Removes one of the identity's credentials of this kind; false when it has none with that id. */
    public Uni<Boolean> remove(UUID identityId, byte[] credentialId, Kind kind, Instant now) {
        return changing(identityId, kind, now, connection -> connection.preparedQuery(
                        "DELETE FROM webauthn_credentials WHERE identity_id = $1 AND credential_id = $2 AND kind = $3")
                .execute(Tuple.of(identityId, Buffer.buffer(credentialId), kind.column())))
                .map(count -> count == 1);
    }

    /** Removes every credential of this kind of the identity; how many there were. */
    public Uni<Integer> removeAll(UUID identityId, Kind kind, Instant now) {
        return changing(identityId, kind, now, connection -> connection.preparedQuery(
                        "DELETE FROM webauthn_credentials WHERE identity_id = $1 AND kind = $2")
                .execute(Tuple.of(identityId, kind.column())));
    }

    /**
     * Runs {@code change}; for a security key, in one transaction with the identity's row locked first and its
     * {@code available_aal} recomputed after. The number of rows changed.
     */
    private Uni<Integer> changing(UUID identityId, Kind kind, Instant now,
                                  Function<SqlConnection, Uni<RowSet<Row>>> change) {
        if (kind == Kind.PASSKEY) {
            return pool.withConnection(change).map(RowSet::rowCount);
        }
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK_IDENTITY).execute(Tuple.of(identityId))
                .chain(() -> change.apply(connection))
                .call(() -> connection.preparedQuery(REFRESH_AAL).execute(Tuple.of(identityId, utc(now))))
                .map(RowSet::rowCount));
    }

    private static List<Credential> credentials(RowSet<Row> rows) {
        List<Credential> credentials = new ArrayList<>();
        rows.forEach(row -> credentials.add(credential(row)));
        return credentials;
    }

    private static Credential credential(Row row) {
        OffsetDateTime lastUsed = row.getOffsetDateTime("last_used_at");
        return new Credential(row.getBuffer("credential_id").getBytes(), Kind.of(row.getString("kind")),
                row.getUUID("identity_id"), row.getBuffer("user_handle").getBytes(),
                row.getBuffer("public_key").getBytes(), row.getUUID("aaguid"), row.getLong("sign_count"),
                row.getString("transports"), row.getBoolean("uv_initialized"), row.getBoolean("backup_eligible"),
                row.getBoolean("backup_state"), row.getString("display_name"),
                row.getOffsetDateTime("created_at").toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
