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
    void aRecipientRefusedForGoodIsUndeliverable() {
        for (int code : new int[]{550, 551, 553}) {
            assertThat(MailSender.classify(smtp(MailSender.AT_RECIPIENT, code), TO))
                    .isInstanceOf(UndeliverableAddress.class);
        }
    }

    /** A sender or content refusal is the configuration's or the message's: every mail may share it, none is lost. */
    @Test
    void refusalsAtOtherStepsAreNotRetriedButKeepTheirRow() {
        for (SMTPException refusal : List.of(smtp("refused", 535), smtp("sender address not accepted", 553),
                smtp("sender address not accepted", 550), smtp("DATA command not accepted", 550),
                smtp("sending data failed", 554))) {
            assertThat(MailSender.classify(refusal, TO)).as(refusal.getMessage())
                    .isInstanceOf(PermanentMailFailure.class).isNotInstanceOf(UndeliverableAddress.class);
        }
    }

    /** Greylisting or a verifying relay's dead MX for one recipient says nothing about the relay: no breaker. */
    @Test
    void aTransientRefusalOfTheRecipientKeepsTheRowAndLeavesTheBreakerAlone() {
        for (int code : new int[]{450, 451, 452}) {
            assertThat(MailSender.classify(smtp(MailSender.AT_RECIPIENT, code), TO))
                    .isInstanceOf(PermanentMailFailure.class).isNotInstanceOf(UndeliverableAddress.class);
        }
    }

    @Test
    void connectionFailuresAndTransientRepliesMeanTheRelayIsUnavailable() {
        assertThat(MailSender.classify(new ConnectException("refused"), TO)).isInstanceOf(SmtpUnavailable.class);
        assertThat(MailSender.classify(smtp("refused", 421), TO)).isInstanceOf(SmtpUnavailable.class);
        assertThat(MailSender.classify(smtp("sender address not accepted", 451), TO)).isInstanceOf(SmtpUnavailable.class);
        assertThat(((SmtpUnavailable) MailSender.classify(new ConnectException("refused"), TO)).underlying())
                .isEqualTo("ConnectException");
    }

    private static SMTPException smtp(String step, int code) {
        return new SMTPException(step, code, List.of(code + " refused"), false);
    }
}
