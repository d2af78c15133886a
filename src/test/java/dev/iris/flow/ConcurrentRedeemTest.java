package dev.iris.flow;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
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
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);

        List<Integer> statuses = Race.run(16, () -> api.redeemCode(flow, email, mail.code()).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 400).hasSize(15);
    }

    @Test
    void sixteenParallelLinkRedemptionsExactlyOneWins() throws Exception {
        Api api = Api.local();
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();
        api.send(flow, email).then().statusCode(400);
        LoginMail mail = Smtp.awaitLogin(email);

        List<Integer> statuses = Race.run(16, () -> Api.local().redeemLink(flow, mail.linkToken()).statusCode());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(15);
    }
}
