package dev.iris.mail;

import io.vertx.ext.mail.SMTPException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which send failures give up on one message, and which mean the relay is sick (retry, circuit breaker). */
class MailSenderTest {

    private static final List<String> TO = List.of("alice@example.com");

    @Test
    void anAddressTheMailerCannotParseIsUndeliverable() {
        Throwable classified = MailSender.classify(new IllegalArgumentException("invalid email address [a<b@x]"),
                List.of("a<b@example.com"));
        assertThat(classified).isInstanceOf(UndeliverableAddress.class).hasMessageNotContaining("a<b");
        assertThat(((UndeliverableAddress) classified).reason()).isEqualTo("address_invalid");
    }

    @Test
    void anArgumentErrorWithAParseableRecipientKeepsTheRow() {
        assertThat(MailSender.classify(new IllegalArgumentException("invalid email address [from]"),
                List.of("alice@example.com"))).isInstanceOf(PermanentMailFailure.class)
                .isNotInstanceOf(UndeliverableAddress.class);
    }

    @Test
    void aRefusedRecipientIsUndeliverable() {
        for (int code : new int[]{550, 551, 553}) {
            assertThat(MailSender.classify(smtp(code), TO)).isInstanceOf(UndeliverableAddress.class);
        }
    }

    @Test
    void otherPermanentRefusalsAreNotRetriedButKeepTheirRow() {
        assertThat(MailSender.classify(smtp(535), TO)).isInstanceOf(PermanentMailFailure.class)
                .isNotInstanceOf(UndeliverableAddress.class);
    }

    @Test
    void connectionFailuresAndTransientRepliesMeanTheRelayIsUnavailable() {
        assertThat(MailSender.classify(new ConnectException("refused"), TO)).isInstanceOf(SmtpUnavailable.class);
        assertThat(MailSender.classify(smtp(421), TO)).isInstanceOf(SmtpUnavailable.class);
        assertThat(((SmtpUnavailable) MailSender.classify(new ConnectException("refused"), TO)).underlying())
                .isEqualTo("ConnectException");
    }

    private static SMTPException smtp(int code) {
        return new SMTPException("refused", code, List.of(code + " refused"), false);
    }
}
