package dev.iris.ratelimit;

import dev.iris.crypto.CodeHasher;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Race;
import dev.iris.testsupport.Smtp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 4: the per-address failure budget ({@code iris.ratelimit.failed-codes-per-address}, default 10)
 * is taken <em>before</em> a 6-digit code is compared, so a burst of codes spread over the address's flows gets at
 * most 10 comparisons, however many arrive at once. Each request comes from its own IP (no per-IP limit involved).
 */
@QuarkusTest
class FailedCodeBudgetRaceTest {

    private static final int BUDGET = 10;
    private static final int FLOWS = 5;
    private static final int PER_FLOW = 3;

    @Inject
    MeterRegistry metrics;

    @Inject
    RedisDataSource redis;

    @Inject
    CodeHasher hasher;

    @Test
    void fourteenWrongCodesAndTheRightOneSentTogetherGetAtMostTheBudgetOfComparisons() throws Exception {
        String email = Api.uniqueEmail();
        Api.local().createIdentity(email);
        List<String> flows = sentFlows(email);
        Map<String, String> codes = Smtp.await(email, FLOWS, Duration.ofSeconds(20)).stream().map(LoginMail::parse)
                .collect(Collectors.toMap(LoginMail::flowId, LoginMail::code));
        String rightCode = codes.get(flows.get(FLOWS - 1));

        double refusedBefore = refusals();
        AtomicInteger next = new AtomicInteger();
        List<Integer> statuses = Race.run(FLOWS * PER_FLOW, () -> {
            int n = next.getAndIncrement();
            int flow = n / PER_FLOW;
            boolean right = n == FLOWS * PER_FLOW - 1;
            String code = right ? rightCode : wrong(codes.get(flows.get(flow)));
            return Api.local().redeemCode(flows.get(flow), email, code).statusCode();
        });

        int refused = (int) (refusals() - refusedBefore);
        long signedIn = statuses.stream().filter(s -> s == 200).count();
        // A right code compared early gives its slot back, and one more wrong code may then use it: the budget
        // bounds the wrong codes compared, never the right one.
        long wrongCompared = FLOWS * PER_FLOW - refused - signedIn;
        assertThat(statuses).allMatch(s -> s == 200 || s == 400);
        assertThat(signedIn).isLessThanOrEqualTo(1);
        assertThat(wrongCompared).as("wrong codes compared (15 sent, %s refused by the address budget, %s signed in)",
                refused, signedIn).isLessThanOrEqualTo(BUDGET);
        assertThat(failuresCounted(email)).as("wrong codes counted against the address").isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void anUnknownAddressSpendsTheSameBudgetTheSameWay() throws Exception {
        String email = Api.uniqueEmail(); // no identity: the sends look the same and send no email
        List<String> flows = sentFlows(email);

        double refusedBefore = refusals();
        AtomicInteger next = new AtomicInteger();
        List<Integer> statuses = Race.run(FLOWS * PER_FLOW, () -> Api.local()
                .redeemCode(flows.get(next.getAndIncrement() / PER_FLOW), email, "123456").statusCode());

        assertThat(statuses).allMatch(s -> s == 400);
        assertThat(refusals() - refusedBefore).isEqualTo(FLOWS * PER_FLOW - BUDGET);
        assertThat(failuresCounted(email)).isEqualTo(BUDGET);
    }

    /** One login flow per client, each with a code sent to {@code email}. */
    private static List<String> sentFlows(String email) {
        List<String> flows = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            Api client = Api.local();
            String flow = client.newLoginFlow();
            client.send(flow, email).then().statusCode(400);
            flows.add(flow);
        }
        return flows;
    }

    private double refusals() {
        Counter counter = metrics.find("iris.ratelimit.limited").tag("limit", "failed_codes_per_address").counter();
        return counter == null ? 0 : counter.count();
    }

    private long failuresCounted(String email) {
        String key = "iris:rl:{fail-addr:" + HexFormat.of().formatHex(hasher.sign("ratelimit-address", email)) + "}";
        return redis.sortedSet(String.class).zcard(key);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }
}
