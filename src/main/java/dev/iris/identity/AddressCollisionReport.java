package dev.iris.identity;

import dev.iris.config.IrisConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Brings identities stored before addresses had one canonical form ({@link EmailAddress}) in line, at every start
 * (idempotent, safe on many instances at once): an address whose canonical form nobody else has is rewritten to it
 * (so {@code bob@bücher.example} can still sign in, as {@code bob@xn--bcher-kva.example}); identities whose
 * addresses are one mailbox once normalised are <b>reported, never merged</b>, in
 * {@code identity_address_collisions} with one warning line; so are addresses no longer accepted. Only rows not
 * already in canonical ASCII form are read (one sequential scan with a regex filter per start).
 */
@Singleton
public class AddressCollisionReport {

    /** RFC 5321 atext, lower case, as a Postgres regex class inside a SQL string literal. */
    private static final String ATEXT = "[a-z0-9!#$%&''*+/=?^_`{|}~-]";
    /** A host-name label as {@link EmailAddress} accepts it: 1–63 LDH characters, no hyphen at either end. */
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    /**
     * Rows certainly in canonical form are skipped: a lower-case ASCII dot-atom of at most 64 octets @ valid labels,
     * a top-level label not all digits, no A-label (those are checked by IDNA), 254 octets at most. Everything
     * else is a candidate.
     */
    private static final String CANDIDATES = "SELECT id, email FROM identities WHERE NOT (email ~ '^" + ATEXT
            + "+(\\." + ATEXT + "+)*@(" + LABEL + "\\.)+" + LABEL + "$' AND email !~ '\\.[0-9]+$'"
            + " AND email !~ '[@.]xn--' AND octet_length(email) <= 254"
            + " AND octet_length(split_part(email, '@', 1)) <= 64)";
    private static final String REPORT = """
            INSERT INTO identity_address_collisions (identity_id, problem, canonical_email) VALUES ($1, $2, $3)
            ON CONFLICT (identity_id, problem) DO NOTHING""";

    /** What one run found. */
    public record Findings(int collidingIdentities, int invalid, int canonicalised) {
    }

    private record Stored(UUID id, String email) {
    }

    private final Pool pool;
    private final boolean smtpUtf8;

    public AddressCollisionReport(Pool pool, IrisConfig config) {
        this.pool = pool;
        this.smtpUtf8 = config.mail().smtputf8();
    }

    void onStart(@Observes StartupEvent event) {
        run().subscribe().with(findings -> {
        }, failure -> Log.errorf("Address collision report failed: %s", failure.getClass().getSimpleName()));
    }

    public Uni<Findings> run() {
        return pool.query(CANDIDATES).execute()
                .map(rows -> {
                    List<Stored> stored = new ArrayList<>();
                    for (Row row : rows) {
                        stored.add(new Stored(row.getUUID("id"), row.getString("email")));
                    }
                    return stored;
                })
                .chain(this::settle)
                .invoke(AddressCollisionReport::log);
    }

    private Uni<Findings> settle(List<Stored> candidates) {
        Map<String, List<UUID>> byCanonical = new LinkedHashMap<>();
        Map<UUID, String> storedEmail = new HashMap<>();
        List<UUID> invalid = new ArrayList<>();
        for (Stored candidate : candidates) {
            var canonical = EmailAddress.normalise(candidate.email(), smtpUtf8);
            if (canonical.isEmpty()) {
                invalid.add(candidate.id());
            } else if (!canonical.get().equals(candidate.email())) {
                byCanonical.computeIfAbsent(canonical.get(), key -> new ArrayList<>()).add(candidate.id());
                storedEmail.put(candidate.id(), candidate.email());
            }
        }
        return holdersOf(byCanonical.keySet())
                .invoke(holders -> holders.forEach((email, id) -> byCanonical.get(email).add(id)))
                .chain(ignored -> report(invalid, "invalid", null))
                .chain(() -> settleGroups(byCanonical, storedEmail, invalid.size()));
    }

    /** Identities that already hold one of these canonical addresses. */
    private Uni<Map<String, UUID>> holdersOf(java.util.Set<String> canonical) {
        if (canonical.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT id, email FROM identities WHERE email = ANY($1)")
                .execute(Tuple.of(canonical.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, UUID> holders = new HashMap<>();
                    rows.forEach(row -> holders.put(row.getString("email"), row.getUUID("id")));
                    return holders;
                });
    }

    private Uni<Findings> settleGroups(Map<String, List<UUID>> byCanonical, Map<UUID, String> storedEmail,
                                       int invalid) {
        int[] colliding = {0};
        int[] canonicalised = {0};
        return Multi.createFrom().iterable(byCanonical.entrySet())
                .onItem().transformToUniAndConcatenate(group -> {
                    List<UUID> members = group.getValue();
                    if (members.size() > 1) {
                        colliding[0] += members.size();
                        return report(members, "collision", group.getKey());
                    }
                    UUID id = members.get(0);
                    return canonicalise(id, storedEmail.get(id), group.getKey())
                            .invoke(done -> canonicalised[0] += done ? 1 : 0).replaceWithVoid();
                })
                .collect().last()
                .map(ignored -> new Findings(colliding[0], invalid, canonicalised[0]));
    }

    /** Rewrites one address to its canonical form, unless it changed meanwhile or another instance got there. */
    private Uni<Boolean> canonicalise(UUID id, String stored, String canonical) {
        return pool.preparedQuery("UPDATE identities SET email = $3, updated_at = now() WHERE id = $1 AND email = $2")
                .execute(Tuple.of(id, stored, canonical))
                .map(rows -> rows.rowCount() == 1)
                .onFailure().recoverWithItem(false);
    }

    private Uni<Void> report(List<UUID> ids, String problem, String canonical) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> pool.preparedQuery(REPORT)
                        .execute(Tuple.of(id, problem, canonical)))
                .collect().last().replaceWithVoid();
    }

    private static void log(Findings findings) {
        if (findings.collidingIdentities() > 0 || findings.invalid() > 0) {
            Log.warnf("audit identity.address_collisions colliding=%d invalid=%d canonicalised=%d "
                            + "(not merged: see table identity_address_collisions)", findings.collidingIdentities(),
                    findings.invalid(), findings.canonicalised());
        } else if (findings.canonicalised() > 0) {
            Log.infof("audit identity.address_canonicalised count=%d", findings.canonicalised());
        }
    }
}
