package dev.iris.ratelimit;

import dev.iris.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client, one send budget (5 per 5 minutes), however its address is written or forwarded. Each case failed on
 * the code that read only the first {@code X-Forwarded-For} line and counted the raw string: every spelling, every
 * forged first line and every address of one /64 got a fresh budget (six sends, six 400s, no 429).
 */
@QuarkusTest
class ClientIpLimitTest {

    /** Sends from the loopback proxy with these X-Forwarded-For lines; the status of the sixth send. */
    private static List<Integer> sixSends(List<List<String>> forwardedLines) {
        return forwardedLines.stream().map(lines -> {
            var request = RestAssured.given();
            for (String line : lines) {
                request = request.header("X-Forwarded-For", line);
            }
            String flow = request.get("/self-service/login/api").then().statusCode(200).extract().path("id");
            var send = RestAssured.given();
            for (String line : lines) {
                send = send.header("X-Forwarded-For", line);
            }
            return send.contentType(ContentType.JSON).queryParam("flow", flow)
                    .body(Map.of("method", "code", "identifier", Api.uniqueEmail()))
                    .post("/self-service/login").statusCode();
        }).toList();
    }

    private static String randomHex() {
        return Integer.toHexString(1 + ThreadLocalRandom.current().nextInt(0xfffe));
    }

    @Test
    void fiveSpellingsOfOneIpv6AddressShareOneBudget() {
        String a = randomHex();
        String b = randomHex();
        List<Integer> statuses = sixSends(List.of(
                List.of("2001:db8:" + a + ":" + b + "::1"),
                List.of("2001:DB8:" + a.toUpperCase() + ":" + b + "::1"),
                List.of("2001:db8:" + a + ":" + b + ":0:0:0:1"),
                List.of("2001:0db8:" + "0".repeat(4 - a.length()) + a + ":" + b + "::0001"),
                List.of("2001:db8:" + a + ":" + b + ":0::0:1"),
                List.of("2001:db8:" + a + ":" + b + "::1")));
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429);
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Address() {
        String ip = Api.randomIp();
        List<Integer> statuses = sixSends(List.of(List.of(ip), List.of("::ffff:" + ip), List.of(ip),
                List.of("::FFFF:" + ip), List.of(ip), List.of("0:0:0:0:0:ffff:" + ip)));
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429);
    }

    @Test
    void everyAddressOfOneSlash64SharesOneBudget() {
        String prefix = "2001:db8:" + randomHex() + ":" + randomHex() + ":";
        List<Integer> statuses = sixSends(List.of(List.of(prefix + ":1"), List.of(prefix + "1:2:3:4"),
                List.of(prefix + "ffff::9"), List.of(prefix + "abcd:1::"), List.of(prefix + "7::7"),
                List.of(prefix + "dead:beef:0:1")));
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429);
    }

    /** The client writes the first line; the trusted proxy appends its own line with the real peer. */
    @Test
    void aForgedFirstHeaderLineBuysNoFreshBudget() {
        String real = Api.randomIp();
        List<Integer> statuses = sixSends(List.of(
                List.of(Api.randomIp(), real), List.of(Api.randomIp(), real), List.of(Api.randomIp(), real),
                List.of(Api.randomIp(), real), List.of(Api.randomIp(), real), List.of(Api.randomIp(), real)));
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429);
    }
}
