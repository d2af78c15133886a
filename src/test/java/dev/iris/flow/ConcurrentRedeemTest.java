package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.SentLogin;
import dev.iris.testsupport.Race;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Design rule 3: of 16 simultaneous redemptions of one secret exactly one signs in. */
@QuarkusTest
class ConcurrentRedeemTest {

    @Test
    void sixteenParallelCodeRedemptionsExactlyOneWins() throws Exception {
        Api api = Api.local();
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();

        List<Integer> statuses = Race.run(16, () -> api.redeemCode(flow, email, mail.code()).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 400).hasSize(15);
    }

    @Test
    void sixteenParallelLinkRedemptionsExactlyOneWins() throws Exception {
        Api api = Api.local();
        SentLogin sent = api.identityWithSentLogin(Api.uniqueEmail());
        String email = sent.email();
        String flow = sent.flow();
        LoginMail mail = sent.mail();

        List<Integer> statuses = Race.run(16, () -> Api.local().redeemLink(flow, mail.linkToken()).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(15);
    }
}
