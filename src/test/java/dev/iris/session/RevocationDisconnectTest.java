package dev.iris.session;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A revocation whose caller hangs up half-way still ends whole: the Postgres row and the session cache (Redis and
 * every instance's memory) agree. RESTEasy Reactive cancels a request's pipeline when its connection closes; a
 * revocation cancelled after its Postgres write and before its cache eviction would leave a revoked session
 * answering 200 from the cache until the entry expires (minutes), and a cancelled transaction could lose the logout
 * altogether. Each case holds the session's row locked from another connection, so the revocation is stuck at its
 * UPDATE when the caller disconnects; the lock is released after the hang-up.
 */
@QuarkusTest
class RevocationDisconnectTest {

    @Inject
    Pool pool;

    private final Api api = Api.local();

    @Test
    void apiLogout() throws Exception {
        Signed s = signedIn();
        hangUpDuring(s, "DELETE /self-service/logout/api", "Content-Type: application/json",
                "{\"session_token\":\"" + s.token + "\"}");
    }

    @Test
    void browserLogout() throws Exception {
        Signed s = signedIn();
        String logoutToken = api.request().header("X-Session-Token", s.token).get("/self-service/logout/browser")
                .then().statusCode(200).extract().path("logout_token");
        hangUpDuring(s, "GET /self-service/logout?token=" + logoutToken, "Cookie: iris_session=" + s.token, null);
    }

    @Test
    void ownSessionEndedFromAnotherOne() throws Exception {
        Signed s = signedIn();
        String other = api.signIn(s.email);
        hangUpDuring(s, "DELETE /sessions/" + s.id, "X-Session-Token: " + other, null);
    }

    @Test
    void allOtherSessionsEnded() throws Exception {
        Signed s = signedIn();
        String other = api.signIn(s.email);
        hangUpDuring(s, "DELETE /sessions", "X-Session-Token: " + other, null);
    }

    @Test
    void adminRevokesTheSession() throws Exception {
        Signed s = signedIn();
        hangUpDuring(s, "DELETE /admin/sessions/" + s.id, "Authorization: Bearer " + api.adminKey(), null);
    }

    @Test
    void adminRevokesTheIdentitysSessions() throws Exception {
        Signed s = signedIn();
        hangUpDuring(s, "DELETE /admin/identities/" + s.identityId + "/sessions",
                "Authorization: Bearer " + api.adminKey(), null);
    }

    private record Signed(String email, String token, UUID id, String identityId) {
    }

    /** A signed-in session whose whoami answer is cached (Redis and this instance's memory). */
    private Signed signedIn() {
        String email = Api.uniqueEmail();
        String identityId = api.createIdentity(email);
        String token = api.signIn(email);
        String id = api.whoami(token).then().statusCode(200).extract().path("id");
        api.whoami(token).then().statusCode(200);
        return new Signed(email, token, UUID.fromString(id), identityId);
    }

    private void hangUpDuring(Signed s, String requestLine, String header, String body) throws Exception {
        SqlConnection lock = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            lock.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
            lock.preparedQuery("SELECT 1 FROM sessions WHERE id = $1 FOR UPDATE").execute(Tuple.of(s.id))
                    .await().atMost(Duration.ofSeconds(10));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5_000);
                byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
                String head = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\n"
                        + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(content);
                out.flush();
                awaitWaitingOnTheLock();
            } // the caller hangs up while its revocation waits at the UPDATE
            Thread.sleep(300);
        } finally {
            lock.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(10));
            lock.close().await().atMost(Duration.ofSeconds(10));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!revokedInPostgres(s.id) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(revokedInPostgres(s.id)).as("the revocation was carried out although its caller left").isTrue();
        deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (api.whoami(s.token).statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        api.whoami(s.token).then().statusCode(401).body("error.id", equalTo("session_inactive"));
    }

    /** Until a backend of this database waits for a lock (the revocation's UPDATE behind ours). */
    private void awaitWaitingOnTheLock() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Long waiting = pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the revocation never reached its UPDATE");
    }

    private boolean revokedInPostgres(UUID id) {
        return pool.preparedQuery("SELECT revoked_at IS NOT NULL FROM sessions WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getBoolean(0);
    }
}
