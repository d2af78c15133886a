package dev.iris.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.text.Normalizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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
        assertThat(EmailAddress.normalise("a".repeat(65) + "@example.com")).isEmpty();
    }

    @Test
    void acceptsPlusTagsAndStoresUnicodeDomainsAsALabels() {
        assertThat(EmailAddress.normalise("bob+tag@bücher.example")).contains("bob+tag@xn--bcher-kva.example");
    }

    /** Issue 16 item 1: what the mailer's parser refuses (or an RFC 5321 mailbox forbids) never gets in. */
    @ParameterizedTest
    @ValueSource(strings = {"a<b@example.com", "a>b@example.com", "a,b@example.com", "a(b@example.com",
            "a)b@example.com", "a;b@example.com", "a:b@example.com", "a[b@example.com", "a]b@example.com",
            "a\\b@example.com", "a\"b@example.com", "\"a b\"@example.com", "\"a,b\"@example.com",
            "a@b@example.com", ".a@example.com", "a.@example.com", "a..b@example.com",
            "a\u00a0b@example.com", "alice@example.com\u00a0", "a\u200bb@example.com", "alice@exam\u200bple.com",
            "a\u202eb@example.com", "a\u2028b@example.com", "alice@[127.0.0.1]", "alice@example.com.",
            "alice@exa_mple.com", "alice@123.456", "\"\"@example.com"})
    void rejectsAddressesOutsideTheMailboxGrammar(String raw) {
        assertThat(EmailAddress.normalise(raw)).as(raw).isEmpty();
    }

    /** Issue 16 item 6: one mailbox, one identity, whatever way it was typed. */
    @Test
    void needlessQuotingIsRemoved() {
        assertThat(EmailAddress.normalise("\"alice\"@example.com")).contains("alice@example.com");
        assertThat(EmailAddress.normalise("\"a.b+c\"@example.com")).contains("a.b+c@example.com");
    }

    @Test
    void unicodeAndPunycodeDomainsAreOneDomain() {
        assertThat(EmailAddress.normalise("alice@bücher.example")).contains("alice@xn--bcher-kva.example");
        assertThat(EmailAddress.normalise("alice@xn--bcher-kva.example")).contains("alice@xn--bcher-kva.example");
        assertThat(EmailAddress.normalise("alice@XN--BCHER-KVA.Example")).contains("alice@xn--bcher-kva.example");
        assertThat(EmailAddress.normalise("alice@BÜCHER.example")).contains("alice@xn--bcher-kva.example");
    }

    @Test
    void nfcAndNfdFormsAreOneAddress() {
        String nfc = Normalizer.normalize("alice@bücher.example", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("alice@bücher.example", Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo(nfc);
        assertThat(EmailAddress.normalise(nfd)).isEqualTo(EmailAddress.normalise(nfc)).isPresent();
        String localNfc = Normalizer.normalize("jürgen@example.com", Normalizer.Form.NFC);
        String localNfd = Normalizer.normalize("jürgen@example.com", Normalizer.Form.NFD);
        assertThat(EmailAddress.normalise(localNfd, true)).isEqualTo(EmailAddress.normalise(localNfc, true))
                .contains(localNfc);
    }

    @Test
    void unicodeLocalPartsOnlyWithSmtpUtf8() {
        assertThat(EmailAddress.normalise("jürgen@example.com")).isEmpty();
        assertThat(EmailAddress.normalise("jürgen@example.com", false)).isEmpty();
        assertThat(EmailAddress.normalise("Jürgen@Bücher.example", true)).contains("jürgen@xn--bcher-kva.example");
        assertThat(EmailAddress.normalise("j\u00a0rgen@example.com", true)).isEmpty();
        assertThat(EmailAddress.normalise("j\u200drgen@example.com", true)).isEmpty();
    }

    @Test
    void normalisingTwiceChangesNothing() {
        for (String raw : new String[]{"\"Alice\"@Bücher.Example", "a!#$%&'*+-/=?^_`{|}~b@example.com",
                "x@xn--bcher-kva.example"}) {
            String once = EmailAddress.normalise(raw).orElseThrow();
            assertThat(EmailAddress.normalise(once)).contains(once);
        }
    }

    /** Whatever intake accepts, the mailer can address: no poisoned row can be created by a sign-up. */
    @ParameterizedTest
    @ValueSource(strings = {"a!#$%&'*+-/=?^_`{|}~b@example.com", "a.b@example.com", "\"alice\"@bücher.example",
            "x@xn--bcher-kva.example", "o'brien@example.co.uk"})
    void theMailerAcceptsEveryAddressIntakeAccepts(String raw) {
        String stored = EmailAddress.normalise(raw).orElseThrow();
        assertThatCode(() -> new io.vertx.ext.mail.mailencoder.EmailAddress(stored)).doesNotThrowAnyException();
    }
}
