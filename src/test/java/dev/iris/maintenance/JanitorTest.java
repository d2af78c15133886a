package dev.iris.maintenance;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class JanitorTest {

    @Inject
    Janitor janitor;

    @Inject
    Pool pool;

    @Test
    void removesOnlyWhatCanNeverBeUsedAgain() {
        UUID identity = UUID.fromString(Api.local().createIdentity(Api.uniqueEmail()));
        UUID oldCode = code(identity, "now() - interval '2 days'");
        UUID liveCode = code(identity, "now() + interval '10 minutes'");
        UUID recentlyExpiredCode = code(identity, "now() - interval '1 hour'");
        UUID oldSession = session(identity, "now() - interval '40 days'", "now() - interval '31 days'");
        UUID liveSession = session(identity, "now() + interval '1 day'", null);
        UUID recentlyRevoked = session(identity, "now() + interval '1 day'", "now() - interval '1 day'");

        assertThat(janitor.sweep().await().indefinitely()).isGreaterThanOrEqualTo(2);

        assertThat(exists("login_codes", oldCode)).isFalse();
        assertThat(exists("login_codes", liveCode)).isTrue();
        assertThat(exists("login_codes", recentlyExpiredCode)).isTrue();
        assertThat(exists("sessions", oldSession)).isFalse();
        assertThat(exists("sessions", liveSession)).isTrue();
        assertThat(exists("sessions", recentlyRevoked)).isTrue();
    }

    private UUID code(UUID identity, String expiresAt) {
        UUID id = UUID.randomUUID();
        run("INSERT INTO login_codes (id, flow_id, identity_id, code_hash, link_hash, created_at, expires_at) "
                + "VALUES ($1, $2, $3, '\\x00', '\\x00', now(), " + expiresAt + ")",
                Tuple.of(id, UUID.randomUUID(), identity));
        return id;
    }

    private UUID session(UUID identity, String expiresAt, String revokedAt) {
        UUID id = UUID.randomUUID();
        run("INSERT INTO sessions (id, token_hash, identity_id, aal, methods, authenticated_at, issued_at, expires_at, "
                + "revoked_at, device_id) VALUES ($1, $2, $3, 'aal1', '[]', now(), now(), " + expiresAt + ", "
                + (revokedAt == null ? "NULL" : revokedAt) + ", $4)",
                Tuple.of(id, io.vertx.core.buffer.Buffer.buffer(id.toString()), identity, UUID.randomUUID()));
        return id;
    }

    private void run(String sql, Tuple args) {
        pool.preparedQuery(sql).execute(args).await().indefinitely();
    }

    private boolean exists(String table, UUID id) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getLong(0) == 1;
    }
}
