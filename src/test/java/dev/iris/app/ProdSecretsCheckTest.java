package dev.iris.app;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProdSecretsCheckTest {

    private static final String GOOD = "k".repeat(20) + "0123456789ab";
    private static final String GOOD_CIPHER = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void acceptsLongNonDefaultSecrets() {
        assertThat(ProdSecretsCheck.problems(List.of(GOOD), List.of(GOOD), List.of(GOOD_CIPHER), List.of(GOOD)))
                .isEmpty();
    }

    @Test
    void namesEveryShortOrDefaultKeyWithoutEchoingIt() {
        List<String> problems = ProdSecretsCheck.problems(List.of("short"),
                List.of("insecure-dev-cookie-key-0123456789abcdef"),
                List.of("aW5zZWN1cmUtZGV2LWNpcGhlci1rZXktMzItYnl0ZXM="), List.of(GOOD, "tiny"));

        assertThat(problems).hasSize(4);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("iris.secrets.hmac").contains("shorter"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("iris.secrets.cookie").contains("development"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("iris.secrets.cipher"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("iris.admin.api-keys"));
        assertThat(String.join(" ", problems)).doesNotContain("short\"").doesNotContain("tiny");
    }

    @Test
    void refusesTheSecretExamplesPlaceholdersEvenWhenLongEnough() {
        String placeholder = "<placeholder: 32+ random characters>";
        assertThat(ProdSecretsCheck.problems(List.of(placeholder), List.of(GOOD),
                List.of("<placeholder: base64 of 32 random bytes>"), List.of(placeholder)))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).isEqualTo("iris.secrets.hmac still holds the example's placeholder"))
                .anySatisfy(p -> assertThat(p).startsWith("iris.secrets.cipher"))
                .anySatisfy(p -> assertThat(p).startsWith("iris.admin.api-keys"));
    }

    @Test
    void rejectsCipherKeysOfTheWrongSize() {
        assertThat(ProdSecretsCheck.problems(List.of(GOOD), List.of(GOOD),
                List.of(Base64.getEncoder().encodeToString(new byte[16])), List.of(GOOD)))
                .singleElement().asString().startsWith("iris.secrets.cipher");
    }
}
