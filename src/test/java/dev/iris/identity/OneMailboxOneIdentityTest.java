package dev.iris.identity;

import dev.iris.testsupport.Api;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16 item 6: quoting, Unicode or punycode domain, NFC or NFD, upper or lower case — one mailbox is one
 * identity and one send quota.
 */
@QuarkusTest
class OneMailboxOneIdentityTest {

    private final Api api = Api.local();

    @Inject
    MeterRegistry registry;

    private static List<String> spellings(String local) {
        return List.of(local + "@b\u00fccher.example", "\"" + local + "\"@b\u00fccher.example",
                local + "@xn--bcher-kva.example", Normalizer.normalize(local + "@b\u00fccher.example",
                        Normalizer.Form.NFD), local.toUpperCase() + "@XN--BCHER-KVA.EXAMPLE");
    }

    @Test
    void everySpellingOfOneMailboxIsTheSameIdentity() {
        String local = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> spellings = spellings(local);
        create(spellings.get(0)).then().statusCode(201).body("traits.email", equalTo(local + "@xn--bcher-kva.example"));
        for (String other : spellings.subList(1, spellings.size())) {
            create(other).then().statusCode(409);
        }
    }

    @Test
    void everySpellingCountsAgainstOneSendQuota() {
        String local = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        // Without the NFD spelling, which the old code refused outright: here every spelling is accepted.
        List<String> spellings = spellings(local).stream()
                .filter(spelling -> Normalizer.isNormalized(spelling, Normalizer.Form.NFC)).toList();
        double before = limited();
        for (int i = 0; i < 6; i++) {
            Api client = Api.local();
            client.send(client.newLoginFlow(), spellings.get(i % spellings.size())).then().statusCode(400)
                    .body("state", equalTo("sent_email"));
        }
        assertThat(limited() - before).as("sends refused by the per-address quota (5 per hour)").isEqualTo(1);
    }

    private io.restassured.response.Response create(String email) {
        return api.admin().contentType(ContentType.JSON)
                .body(Map.of("schema_id", "default", "traits", Map.of("email", email))).post("/admin/identities");
    }

    private double limited() {
        var counter = registry.find("iris.ratelimit.limited").tag("limit", "send_per_address").counter();
        return counter == null ? 0 : counter.count();
    }
}
