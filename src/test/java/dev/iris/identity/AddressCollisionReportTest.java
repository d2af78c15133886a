package dev.iris.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 item 6, the migration: identities stored before normalisation (written here straight into the table,
 * as intake no longer accepts these forms) are reported when they collide, never merged; a lone old form is
 * rewritten to the canonical one so its owner can still sign in.
 */
@QuarkusTest
class AddressCollisionReportTest {

    @Inject
    Pool pool;
    @Inject
    AddressCollisionReport report;

    @Test
    void collidingIdentitiesAreReportedNotMergedAndLoneOldFormsAreCanonicalised() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID quoted = insert("\"carol-" + tag + "\"@example.com");
        UUID plain = insert("carol-" + tag + "@example.com");
        UUID nfd = insert("erin-" + tag + "@bu\u0308cher.example");
        UUID nfc = insert("erin-" + tag + "@b\u00fccher.example");
        UUID lone = insert("frank-" + tag + "@b\u00fccher.example");
        UUID poisoned = insert("a<b-" + tag + "@example.com");
        // Lower-case ASCII, yet no longer accepted: a label ending in '-', an all-numeric top-level label, a
        // 65-octet local part. The report's SQL pre-filter skipped these before.
        UUID hyphen = insert("gina-" + tag + "@example-.com");
        UUID numeric = insert("hank-" + tag + "@example.123");
        UUID longLocal = insert("i".repeat(57) + tag + "@example.com");

        report.run().await().indefinitely();
        report.run().await().indefinitely();

        Map<UUID, String> reported = reported();
        assertThat(reported).containsEntry(quoted, "collision carol-" + tag + "@example.com")
                .containsEntry(plain, "collision carol-" + tag + "@example.com")
                .containsEntry(nfd, "collision erin-" + tag + "@xn--bcher-kva.example")
                .containsEntry(nfc, "collision erin-" + tag + "@xn--bcher-kva.example")
                .containsEntry(poisoned, "invalid null")
                .containsEntry(hyphen, "invalid null")
                .containsEntry(numeric, "invalid null")
                .containsEntry(longLocal, "invalid null")
                .doesNotContainKey(lone);
        assertThat(email(quoted)).isEqualTo("\"carol-" + tag + "\"@example.com");
        assertThat(email(plain)).isEqualTo("carol-" + tag + "@example.com");
        assertThat(email(nfd)).isEqualTo("erin-" + tag + "@bu\u0308cher.example");
        assertThat(email(lone)).isEqualTo("frank-" + tag + "@xn--bcher-kva.example");
        assertThat(count(quoted, plain, nfd, nfc, lone, poisoned, hyphen, numeric, longLocal))
                .as("one report row per identity and problem, however often it runs").isEqualTo(8);
    }

    private UUID insert(String email) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO identities (id, email, address_id, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, now(), now())")
                .execute(Tuple.of(id, email, UUID.randomUUID())).await().indefinitely();
        return id;
    }

    private Map<UUID, String> reported() {
        Map<UUID, String> rows = new HashMap<>();
        pool.query("SELECT identity_id, problem, canonical_email FROM identity_address_collisions").execute()
                .await().indefinitely()
                .forEach(row -> rows.put(row.getUUID(0), row.getString(1) + " " + row.getString(2)));
        return rows;
    }

    private long count(UUID... ids) {
        return pool.preparedQuery("SELECT count(*) FROM identity_address_collisions WHERE identity_id = ANY($1)")
                .execute(Tuple.of(ids)).await().indefinitely().iterator().next().getLong(0);
    }

    private String email(UUID id) {
        return pool.preparedQuery("SELECT email FROM identities WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getString(0);
    }
}
