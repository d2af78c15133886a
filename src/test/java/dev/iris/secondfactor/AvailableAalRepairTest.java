package dev.iris.secondfactor;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Migration V4_18: identities left at {@code available_aal = 'aal2'} with no second factor (by the unlink bug) are
 * set back to AAL1 and can sign in again; identities that hold a factor keep AAL2.
 */
@QuarkusTest
class AvailableAalRepairTest {

    private final Api api = Api.local();

    @Inject
    Pool pool;

    @Test
    void stuckIdentitiesAreRepairedAndRealSecondFactorsKept() throws Exception {
        String stuck = Api.uniqueEmail();
        String stuckId = api.createIdentity(stuck);
        sql("UPDATE identities SET available_aal = 'aal2' WHERE id = $1", stuckId);
        api.whoami(api.signIn(stuck)).then().statusCode(403).body("error.id", equalTo("session_aal2_required"));

        String guarded = Api.uniqueEmail();
        String guardedId = api.createIdentity(guarded);
        String token = api.signIn(guarded);
        String flow = api.newSettingsFlow(token);
        for (String flag : new String[]{"lookup_secret_regenerate", "lookup_secret_confirm"}) {
            api.request().header("X-Session-Token", token).contentType(ContentType.JSON).queryParam("flow", flow)
                    .body(Map.of(flag, true)).post("/self-service/settings").then().statusCode(200);
        }

        try (InputStream migration = getClass().getResourceAsStream("/db/migration/V4_18__repair_available_aal.sql")) {
            pool.query(new String(migration.readAllBytes(), StandardCharsets.UTF_8)).execute().await().indefinitely();
        }
        assertThat(aal(stuckId)).isEqualTo("aal1");
        assertThat(aal(guardedId)).isEqualTo("aal2");
        api.whoami(api.signIn(stuck)).then().statusCode(200);
    }

    private void sql(String statement, String id) {
        pool.preparedQuery(statement).execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
    }

    private String aal(String id) {
        return pool.preparedQuery("SELECT available_aal FROM identities WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely().iterator().next().getString(0);
    }
}
