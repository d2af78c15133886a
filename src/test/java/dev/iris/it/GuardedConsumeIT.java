package dev.iris.it;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.SentLogin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the single-use guard itself: with the attempt budget raised out of the way, all 16 concurrent
 * submissions of the right secret reach the guarded {@code UPDATE … WHERE used_at IS NULL} on two instances,
 * and still exactly one signs in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardedConsumeIT {

    private PackagedApp first;
    private PackagedApp second;

    @BeforeAll
    void start() {
        first = PackagedApp.start("guard-a", Map.of("iris.code.max-attempts", "100"));
        second = PackagedApp.start("guard-b", Map.of("iris.code.max-attempts", "100"));
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void sixteenRightCodesAtOnceOneSession() throws Exception {
        assertOneWinner(false);
    }

    @Test
    void sixteenRightLinksAtOnceOneSession() throws Exception {
        assertOneWinner(true);
    }

    private void assertOneWinner(boolean link) throws Exception {
        SentLogin sent = first.api().identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();
        AtomicInteger n = new AtomicInteger();

        List<Integer> statuses = Race.run(16, () -> {
            Api api = (n.getAndIncrement() % 2 == 0 ? first : second).api();
            return (link ? api.redeemLink(flow, mail.linkToken()) : api.redeemCode(flow, email, mail.code()))
                    .statusCode();
        });

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(15);
        // Consuming the code and storing the session are one statement: the 15 losers left no session behind.
        assertThat(sessionsOf(email)).isEqualTo(1);
    }

    private static long sessionsOf(String email) throws SQLException {
        try (Connection db = DriverManager.getConnection(PackagedApp.jdbcUrl(), PackagedApp.dbUser(),
                PackagedApp.dbPassword());
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM sessions s "
                     + "JOIN identities i ON i.id = s.identity_id WHERE i.email = ?")) {
            query.setString(1, email);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
