package dev.iris.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmailAddressTest {

    @Test
    void trimsAndLowerCases() {
        assertThat(EmailAddress.normalise("  Alice@Example.COM \t")).contains("alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "alice", "alice@", "@example.com", "alice@example", "a b@example.com",
            "alice@@example.com", "alice@exa mple.com", "' OR 1=1 --@x", "alice@example.com\u0000",
            "alice@-example.com"})
    void rejectsWhatIsNotAnAddress(String raw) {
        assertThat(EmailAddress.normalise(raw)).isEmpty();
    }

    @Test
    void rejectsOverlongAddresses() {
        String local = "a".repeat(64);
        String domain = ("b".repeat(60) + ".").repeat(4) + "com";
        assertThat((local + "@" + domain).length()).isGreaterThan(254);
        assertThat(EmailAddress.normalise(local + "@" + domain)).isEmpty();
        assertThat(EmailAddress.normalise(null)).isEmpty();
    }

    @Test
    void acceptsUnicodeDomainsAndPlusTags() {
        assertThat(EmailAddress.normalise("bob+tag@bücher.example")).contains("bob+tag@bücher.example");
    }
}
