package dev.iris.method.code;

import dev.iris.identity.Identity;
import dev.iris.mail.OutboxStore;
import dev.iris.session.AuthSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * The hot path of the code method in plain SQL, one round trip per step. Measured (bench/README.md): through
 * Hibernate Reactive a send took a transaction with six round trips and re-translated its HQL update on every
 * call; here each step is one prepared statement, and a single statement is atomic on its own.
 */
@Singleton
public class CodeStore {

    /**
     * Retires each flow's open codes, stores the new codes' hashes and queues the emails, all or nothing, for a
     * batch of sends ({@link StatementBatcher}; arrays in, one row per send). The template and sealed payload for
     * "known" and "unknown" are both prepared by the caller and Postgres picks one per row, so both paths do
     * exactly the same work (no timing oracle). The outbox INSERT is {@code mail}'s ({@link OutboxStore#queueing}).
     * The retiring UPDATE does not see the rows the INSERT adds: all parts of one statement read the same snapshot.
     */
    private static final String ISSUE = """
            WITH input AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::bytea[],
                                                $6::bytea[], $7::timestamptz[], $8::uuid[], $9::text[], $10::text[],
                                                $11::bytea[], $12::bytea[]) WITH ORDINALITY
                                AS t(email, now, flow_id, code_id, code_hash, link_hash, expires_at, mail_id,
                                     known_template, unknown_template, known_payload, unknown_payload, n)),
                 known AS (SELECT input.*, identities.id AS identity_id
                           FROM input LEFT JOIN identities ON identities.email = input.email),
                 retired AS (UPDATE login_codes SET used_at = input.now FROM input
                             WHERE login_codes.flow_id = input.flow_id AND login_codes.used_at IS NULL),
                 issued AS (INSERT INTO login_codes (id, flow_id, identity_id, code_hash, link_hash, created_at,
                                                    expires_at)
                            SELECT code_id, flow_id, identity_id, code_hash, link_hash, now, expires_at FROM known),
                 queued AS (""" + OutboxStore.queueing("""
                            SELECT mail_id, flow_id,
                                   CASE WHEN identity_id IS NULL THEN unknown_template ELSE known_template END,
                                   CASE WHEN identity_id IS NULL THEN unknown_payload ELSE known_payload END, now
                            FROM known""") + """
            )
            SELECT n, identity_id IS NOT NULL FROM known""";

    /** The newest unused code of each flow asked for. */
    private static final String FIND_OPEN = """
            SELECT DISTINCT ON (flow_id) flow_id, id, identity_id, code_hash, link_hash FROM login_codes
            WHERE flow_id = ANY($1::uuid[]) AND used_at IS NULL ORDER BY flow_id, created_at DESC""";

    private static final String RETIRE = "UPDATE login_codes SET used_at = $2 WHERE flow_id = $1 AND used_at IS NULL";

    private static final String INSERT = """
            INSERT INTO login_codes (id, flow_id, code_hash, link_hash, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    /**
     * The single-use guard, the one statement that spends a code: only one caller can move {@code used_at} from
     * null, and only before expiry; 1 row for the winner, 0 for everyone else, across any number of instances.
     * {@code id} and {@code now} are the parameter markers of the client that runs it: {@code $1}, {@code $2} in
     * {@link #SIGN_IN}, named parameters through Hibernate in {@link LoginCodeRepository#consume} (a sign-up, in the
     * transaction that may create the identity).
     */
    static String consuming(String id, String now) {
        return "UPDATE login_codes SET used_at = " + now + " WHERE id = " + id
                + " AND used_at IS NULL AND expires_at > " + now;
    }

    /**
     * A login's whole success in one statement: consume the code ({@link #consuming}), mark the address verified,
     * store the session, and read the identity. Nothing happens unless the code was consumed, and the session
     * exists exactly when the code is spent. Not batched: measured, a batched form of this statement cost Postgres
     * more per sign-in than one statement each (bench/README.md).
     */
    private static final String SIGN_IN = "WITH consumed AS (" + consuming("$1", "$2") + " RETURNING identity_id),\n"
            + """
                 verified AS (UPDATE identities SET email_verified = true, verified_at = $2, updated_at = $2
                              WHERE id = (SELECT identity_id FROM consumed) AND NOT email_verified),
                 stored AS (INSERT INTO sessions (id, token_hash, identity_id, aal, methods, authenticated_at,
                                                  issued_at, expires_at, device_id, ip_address, user_agent)
                            SELECT $3, $4, identity_id, $5, $6, $7, $8, $9, $10, $11, $12 FROM consumed)
            SELECT id, email, state, address_id, email_verified, verified_at, created_at, updated_at, available_aal
            FROM identities WHERE id = (SELECT identity_id FROM consumed)""";

    /**
     * An address change's whole success in one statement: consume the code ({@link #consuming}), move the identity
     * to the new address — verified, since the code proved it, under a new verifiable-address id —, retire every code
     * still open for the identity (they were mailed to the old address, which no longer signs in) and queue the
     * notice to the old address. Nothing happens unless the code was consumed; an address that got an account
     * meanwhile violates the unique email and fails the whole statement, consumption included.
     */
    private static final String CHANGE_ADDRESS = "WITH consumed AS (" + consuming("$1", "$2") + " RETURNING id),\n"
            + """
                 changed AS (UPDATE identities SET email = $4, address_id = gen_random_uuid(), email_verified = true,
                                                   verified_at = $2, updated_at = $2
                             WHERE id = $3 AND EXISTS (SELECT 1 FROM consumed) RETURNING id),
                 retired AS (UPDATE login_codes SET used_at = $2
                             WHERE identity_id = $3 AND used_at IS NULL AND EXISTS (SELECT 1 FROM changed)),
                 queued AS (""" + OutboxStore.queueing(
                    "SELECT $5::uuid, $6::uuid, $7::text, $8::bytea, $2::timestamptz FROM changed") + """
            )
            SELECT count(*) FROM changed""";

    /** Postgres's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Executions of each statement running at once; more calls wait and go out together. Four keep both of
     * Postgres's cores busy while leaving most of the pool (20) to everything else.
     */
    static final int MAX_IN_FLIGHT = 4;

    /** Rows per execution at most (bounds the statement's size and the latency of its first caller). */
    static final int MAX_BATCH = 64;

    private final Pool pool;
    private final StatementBatcher<Issue, Boolean> issues;
    private final StatementBatcher<UUID, OpenCode> openCodes;

    public CodeStore(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.issues = new StatementBatcher<>(MAX_IN_FLIGHT, MAX_BATCH, this::issueAll, metered(registry, "issue"));
        this.openCodes = new StatementBatcher<>(MAX_IN_FLIGHT, MAX_BATCH, this::findAllOpen,
                metered(registry, "find_open"));
    }

    /**
     * {@code iris_sql_batch_executions_total} and {@code iris_sql_batched_rows_total} per batched statement: their
     * ratio is the batch size reached (bench/run.sh --floor replays the statements at that size).
     */
    private static IntConsumer metered(MeterRegistry registry, String statement) {
        Counter executions = Counter.builder("iris_sql_batch_executions").tag("statement", statement)
                .description("executions of a batched statement").register(registry);
        Counter rows = Counter.builder("iris_sql_batched_rows").tag("statement", statement)
                .description("calls served by executions of a batched statement").register(registry);
        return size -> {
            executions.increment();
            rows.increment(size);
        };
    }

    /** A new code's row: hashes only. */
    public record NewCode(UUID id, UUID flowId, byte[] codeHash, byte[] linkHash, Instant createdAt,
                          Instant expiresAt) {
    }

    /** The outbox row for either answer: the template name and sealed payload for a known and an unknown address. */
    public record QueuedMail(UUID id, String knownTemplate, byte[] knownPayload, String unknownTemplate,
                             byte[] unknownPayload) {
    }

    /** A notice queued with a change: its outbox id, flow, template name and sealed payload. */
    public record Notice(UUID id, UUID flowId, String template, byte[] payload) {
    }

    /** An open (unused) code as the redeem step needs it. */
    public record OpenCode(UUID id, UUID identityId, byte[] codeHash, byte[] linkHash) {
    }

    private record Issue(String email, NewCode code, QueuedMail mail) {
    }

    /** Issues {@code code} for {@code email} and queues {@code mail}; true when the address has an identity. */
    public Uni<Boolean> issue(String email, NewCode code, QueuedMail mail) {
        return issues.submit(new Issue(email, code, mail));
    }

    /** The flow's newest unused code, or {@code null}. */
    public Uni<OpenCode> findOpen(UUID flowId) {
        return openCodes.submit(flowId);
    }

    /**
     * Consumes the code and stores {@code session} for its identity; the identity as it was before this sign-in
     * (the caller marks it verified), or {@code null} when another caller won the code or it expired.
     */
    public Uni<Identity> signIn(UUID codeId, Instant now, AuthSession session) {
        io.vertx.sqlclient.Tuple args = io.vertx.sqlclient.Tuple.tuple().addUUID(codeId).addOffsetDateTime(utc(now))
                .addUUID(session.id).addBuffer(Buffer.buffer(session.tokenHash)).addString(session.aal)
                .addString(session.methods).addOffsetDateTime(utc(session.authenticatedAt))
                .addOffsetDateTime(utc(session.issuedAt)).addOffsetDateTime(utc(session.expiresAt))
                .addUUID(session.deviceId).addString(session.ipAddress).addString(session.userAgent);
        return execute(SIGN_IN, args).map(rows -> {
            Iterator<Row> iterator = rows.iterator();
            return iterator.hasNext() ? identity(iterator.next()) : null;
        });
    }

    /**
     * Consumes the code and moves {@code identityId} to {@code newEmail}, queueing {@code notice}; false when another
     * caller won the code, it expired, or the address has an account by now.
     */
    public Uni<Boolean> changeAddress(UUID codeId, Instant now, UUID identityId, String newEmail, Notice notice) {
        io.vertx.sqlclient.Tuple args = io.vertx.sqlclient.Tuple.tuple().addUUID(codeId).addOffsetDateTime(utc(now))
                .addUUID(identityId).addString(newEmail).addUUID(notice.id()).addUUID(notice.flowId())
                .addString(notice.template()).addBuffer(Buffer.buffer(notice.payload()));
        return execute(CHANGE_ADDRESS, args).map(rows -> rows.iterator().next().getLong(0) == 1)
                .onFailure(failure -> failure instanceof io.vertx.pgclient.PgException pg
                        && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .recoverWithItem(false);
    }

    private Uni<List<Boolean>> issueAll(List<Issue> batch) {
        int size = batch.size();
        String[] emails = new String[size];
        OffsetDateTime[] now = new OffsetDateTime[size];
        UUID[] flowIds = new UUID[size];
        UUID[] codeIds = new UUID[size];
        Buffer[] codeHashes = new Buffer[size];
        Buffer[] linkHashes = new Buffer[size];
        OffsetDateTime[] expiresAt = new OffsetDateTime[size];
        UUID[] mailIds = new UUID[size];
        String[] knownTemplates = new String[size];
        String[] unknownTemplates = new String[size];
        Buffer[] knownPayloads = new Buffer[size];
        Buffer[] unknownPayloads = new Buffer[size];
        for (int i = 0; i < size; i++) {
            Issue issue = batch.get(i);
            NewCode code = issue.code();
            QueuedMail mail = issue.mail();
            emails[i] = issue.email();
            now[i] = utc(code.createdAt());
            flowIds[i] = code.flowId();
            codeIds[i] = code.id();
            codeHashes[i] = Buffer.buffer(code.codeHash());
            linkHashes[i] = Buffer.buffer(code.linkHash());
            expiresAt[i] = utc(code.expiresAt());
            mailIds[i] = mail.id();
            knownTemplates[i] = mail.knownTemplate();
            unknownTemplates[i] = mail.unknownTemplate();
            knownPayloads[i] = Buffer.buffer(mail.knownPayload());
            unknownPayloads[i] = Buffer.buffer(mail.unknownPayload());
        }
        io.vertx.sqlclient.Tuple args = io.vertx.sqlclient.Tuple.tuple()
                .addArrayOfString(emails).addArrayOfOffsetDateTime(now).addArrayOfUUID(flowIds)
                .addArrayOfUUID(codeIds).addArrayOfBuffer(codeHashes).addArrayOfBuffer(linkHashes)
                .addArrayOfOffsetDateTime(expiresAt).addArrayOfUUID(mailIds).addArrayOfString(knownTemplates)
                .addArrayOfString(unknownTemplates).addArrayOfBuffer(knownPayloads)
                .addArrayOfBuffer(unknownPayloads);
        return execute(ISSUE, args).map(rows -> {
            Boolean[] known = new Boolean[size];
            for (Row row : rows) {
                known[(int) (row.getLong(0) - 1)] = row.getBoolean(1);
            }
            return Arrays.asList(known);
        });
    }

    private Uni<List<OpenCode>> findAllOpen(List<UUID> flowIds) {
        return pool.preparedQuery(FIND_OPEN).execute(Tuple.of(flowIds.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, OpenCode> open = new HashMap<>();
            for (Row row : rows) {
                open.put(row.getUUID("flow_id"), new OpenCode(row.getUUID("id"), row.getUUID("identity_id"),
                        row.getBuffer("code_hash").getBytes(), row.getBuffer("link_hash").getBytes()));
            }
            List<OpenCode> answers = new ArrayList<>(flowIds.size());
            for (UUID flowId : flowIds) {
                answers.add(open.get(flowId));
            }
            return answers;
        });
    }

    /** Retires the flow's open codes (a send that issued nothing new). */
    public Uni<Void> retire(UUID flowId, Instant now) {
        return execute(RETIRE, io.vertx.sqlclient.Tuple.tuple().addUUID(flowId).addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    /** Stores a code that belongs to no identity yet (a sign-up invitation). */
    public Uni<Void> insert(NewCode code) {
        io.vertx.sqlclient.Tuple args = io.vertx.sqlclient.Tuple.tuple().addUUID(code.id()).addUUID(code.flowId())
                .addBuffer(Buffer.buffer(code.codeHash())).addBuffer(Buffer.buffer(code.linkHash()))
                .addOffsetDateTime(utc(code.createdAt())).addOffsetDateTime(utc(code.expiresAt()));
        return execute(INSERT, args).replaceWithVoid();
    }

    /** Runs {@code sql} with core-API arguments (they take {@code Buffer[]} arrays, the Mutiny tuple does not). */
    private Uni<RowSet<Row>> execute(String sql, io.vertx.sqlclient.Tuple args) {
        return pool.preparedQuery(sql).execute(Tuple.newInstance(args));
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
