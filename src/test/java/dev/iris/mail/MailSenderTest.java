package dev.iris.mail;

import io.vertx.ext.mail.SMTPException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which send failures give up on one message, and which mean the relay is sick (retry, circuit breaker). */
class MailSenderTest {

    @Test
    void anAddressTheMailerCannotParseIsUndeliverable() {
        Throwable classified = MailSender.classify(new IllegalArgumentException("invalid email address [a<b@x]"));
        assertThat(classified).isInstanceOf(UndeliverableAddress.class).hasMessageNotContaining("a<b");
        assertThat(((UndeliverableAddress) classified).reason()).isEqualTo("address_invalid");
    }

    @Test
    void aRefusedRecipientIsUndeliverable() {
        for (int code : new int[]{550, 551, 553}) {
            assertThat(MailSender.classify(smtp(code))).isInstanceOf(UndeliverableAddress.class);
        }
    }

    @Test
    void otherPermanentRefusalsAreNotRetriedButKeepTheirRow() {
        assertThat(MailSender.classify(smtp(535))).isInstanceOf(PermanentMailFailure.class)
                .isNotInstanceOf(UndeliverableAddress.class);
    }

    @Test
    void connectionFailuresAndTransientRepliesMeanTheRelayIsUnavailable() {
        assertThat(MailSender.classify(new ConnectException("refused"))).isInstanceOf(SmtpUnavailable.class);
        assertThat(MailSender.classify(smtp(421))).isInstanceOf(SmtpUnavailable.class);
        assertThat(((SmtpUnavailable) MailSender.classify(new ConnectException("refused"))).underlying())
                .isEqualTo("ConnectException");
    }

    private static SMTPException smtp(int code) {
        return new SMTPException("refused", code, List.of(code + " refused"), false);
    }
}
