package dev.iris.method.code;

import dev.iris.identity.Identity;
import dev.iris.session.AuthSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The hot path of the code method in plain SQL, one round trip per step. Measured (bench/README.md): through
 * Hibernate Reactive a send took a transaction with six round trips and re-translated its HQL update on every
 * call; here each step is one prepared statement, and a single statement is atomic on its own.
 */
@Singleton
public class CodeStore {

    /**
     * Retires the flow's open codes, stores the new code's hashes and queues the email, all or nothing. The
     * template and sealed payload for "known" and "unknown" are both prepared by the caller and Postgres picks
     * one, so both paths do exactly the same work (no timing oracle). The retiring UPDATE does not see the row
     * the INSERT adds: all parts of one statement read the same snapshot.
     */
    private static final String ISSUE = """
            WITH known AS (SELECT id FROM identities WHERE email = $1),
                 retired AS (UPDATE login_codes SET used_at = $2 WHERE flow_id = $3 AND used_at IS NULL),
                 issued AS (INSERT INTO login_codes (id, flow_id, identity_id, code_hash, link_hash, created_at,
                                                    expires_at)
                            SELECT $4, $3, (SELECT id FROM known), $5, $6, $2, $7),
                 queued AS (INSERT INTO mail_outbox (id, flow_id, template, payload, attempts, next_attempt_at,
                                                     created_at)
                            SELECT $8, $3, CASE WHEN EXISTS (SELECT 1 FROM known) THEN $9::text ELSE $10::text END,
                                   CASE WHEN EXISTS (SELECT 1 FROM known) THEN $11::bytea ELSE $12::bytea END, 0,
                                   'epoch'::timestamptz, $2)
            SELECT EXISTS (SELECT 1 FROM known)""";

    private static final String FIND_OPEN = """
            SELECT id, identity_id, code_hash, link_hash FROM login_codes
            WHERE flow_id = $1 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1""";

    private static final String INSERT = """
            INSERT INTO login_codes (id, flow_id, code_hash, link_hash, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    /**
     * A login's whole success in one statement: consume the code (the single-use guard: only one caller moves
     * {@code used_at} from null, and only before expiry, as in {@link LoginCodeRepository#consume}), mark the
     * address verified, store the session, and read the identity. Nothing happens unless the code was consumed,
     * and the session exists exactly when the code is spent.
     */
    private static final String SIGN_IN = """
            WITH consumed AS (UPDATE login_codes SET used_at = $2
                              WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING identity_id),
                 verified AS (UPDATE identities SET email_verified = true, verified_at = $2, updated_at = $2
                              WHERE id = (SELECT identity_id FROM consumed) AND NOT email_verified),
                 stored AS (INSERT INTO sessions (id, token_hash, identity_id, aal, methods, authenticated_at,
                                                  issued_at, expires_at, device_id, ip_address, user_agent)
                            SELECT $3, $4, identity_id, $5, $6, $7, $8, $9, $10, $11, $12 FROM consumed)
            SELECT id, email, state, address_id, email_verified, verified_at, created_at, updated_at, available_aal
            FROM identities WHERE id = (SELECT identity_id FROM consumed)""";

    private final Pool pool;

    public CodeStore(Pool pool) {
        this.pool = pool;
    }

    /** A new code's row: hashes only. */
    public record NewCode(UUID id, UUID flowId, byte[] codeHash, byte[] linkHash, Instant createdAt,
                          Instant expiresAt) {
    }

    /** The outbox row for either answer: the template name and sealed payload for a known and an unknown address. */
    public record QueuedMail(UUID id, String knownTemplate, byte[] knownPayload, String unknownTemplate,
                             byte[] unknownPayload) {
    }

    /** An open (unused) code as the redeem step needs it. */
    public record OpenCode(UUID id, UUID identityId, byte[] codeHash, byte[] linkHash) {
    }

    /** Issues {@code code} for {@code email} and queues {@code mail}; true when the address has an identity. */
    public Uni<Boolean> issue(String email, NewCode code, QueuedMail mail) {
        Tuple args = Tuple.tuple()
                .addString(email).addOffsetDateTime(utc(code.createdAt())).addUUID(code.flowId())
                .addUUID(code.id()).addBuffer(Buffer.buffer(code.codeHash())).addBuffer(Buffer.buffer(code.linkHash()))
                .addOffsetDateTime(utc(code.expiresAt()))
                .addUUID(mail.id()).addString(mail.knownTemplate()).addString(mail.unknownTemplate())
                .addBuffer(Buffer.buffer(mail.knownPayload())).addBuffer(Buffer.buffer(mail.unknownPayload()));
        return pool.preparedQuery(ISSUE).execute(args).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The flow's newest unused code, or {@code null}. */
    public Uni<OpenCode> findOpen(UUID flowId) {
        return pool.preparedQuery(FIND_OPEN).execute(Tuple.of(flowId)).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            if (!iterator.hasNext()) {
                return null;
            }
            Row row = iterator.next();
            return new OpenCode(row.getUUID("id"), row.getUUID("identity_id"), row.getBuffer("code_hash").getBytes(),
                    row.getBuffer("link_hash").getBytes());
        });
    }

    /** Stores a code that belongs to no identity yet (a sign-up invitation). */
    public Uni<Void> insert(NewCode code) {
        Tuple args = Tuple.tuple().addUUID(code.id()).addUUID(code.flowId()).addBuffer(Buffer.buffer(code.codeHash()))
                .addBuffer(Buffer.buffer(code.linkHash())).addOffsetDateTime(utc(code.createdAt()))
                .addOffsetDateTime(utc(code.expiresAt()));
        return pool.preparedQuery(INSERT).execute(args).replaceWithVoid();
    }

    /**
     * Consumes the code and stores {@code session} for its identity; the identity as it was before this sign-in
     * (the caller marks it verified), or {@code null} when another caller won the code or it expired.
     */
    public Uni<Identity> signIn(UUID codeId, Instant now, AuthSession session) {
        Tuple args = Tuple.tuple().addUUID(codeId).addOffsetDateTime(utc(now))
                .addUUID(session.id).addBuffer(Buffer.buffer(session.tokenHash)).addString(session.aal)
                .addString(session.methods).addOffsetDateTime(utc(session.authenticatedAt))
                .addOffsetDateTime(utc(session.issuedAt)).addOffsetDateTime(utc(session.expiresAt))
                .addUUID(session.deviceId).addString(session.ipAddress).addString(session.userAgent);
        return pool.preparedQuery(SIGN_IN).execute(args).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            return iterator.hasNext() ? identity(iterator.next()) : null;
        });
    }

    private static Identity identity(Row row) {
        Identity identity = new Identity();
        identity.id = row.getUUID("id");
        identity.email = row.getString("email");
        identity.state = row.getString("state");
        identity.addressId = row.getUUID("address_id");
        identity.emailVerified = row.getBoolean("email_verified");
        identity.verifiedAt = instant(row.getOffsetDateTime("verified_at"));
        identity.createdAt = instant(row.getOffsetDateTime("created_at"));
        identity.updatedAt = instant(row.getOffsetDateTime("updated_at"));
        identity.availableAal = row.getString("available_aal");
        return identity;
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
