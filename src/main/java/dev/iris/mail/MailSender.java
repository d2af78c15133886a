package dev.iris.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.mailencoder.EmailAddress;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.util.List;
import java.util.Set;

/**
 * The SMTP call, guarded: a timeout per attempt, a couple of quick retries with jittered backoff, and a circuit
 * breaker so a dead SMTP server is not hammered. Only a sick relay — it cannot be reached, drops the
 * connection, answers 4xx outside {@code RCPT TO}, or times out ({@link SmtpUnavailable}, {@link TimeoutException})
 * — is retried here and counts against the breaker. A message that can never go out as it is
 * ({@link UndeliverableAddress}: the mailer refuses the address, or the relay refuses the recipient at
 * {@code RCPT TO} with 550/551/553) is dead-lettered; anything else that concerns this message only — a 4xx for
 * its recipient (greylisting, a dead MX behind a verifying relay), a 5xx at {@code MAIL FROM} or {@code DATA}
 * (a configuration or content problem every mail may share, so never a dead letter) — is
 * {@link PermanentMailFailure}: no quick retry, the breaker left alone, the row backs off in the outbox. So one
 * poisoned address cannot hold up anybody else's mail. There is deliberately no fallback: a failure goes back to the outbox. Tunable through
 * {@code dev.iris.mail.MailSender/send/<Annotation>/<property>}.
 */
@Singleton
public class MailSender {

    /** Replies to {@code RCPT TO} that refuse this recipient for good (RFC 5321 §4.2.2, §3.6). */
    private static final Set<Integer> RECIPIENT_REFUSED = Set.of(550, 551, 553);
    /** How the Vert.x mail client names a refusal at {@code RCPT TO} (its other steps name themselves apart). */
    static final String AT_RECIPIENT = "recipient address not accepted";

    private final ReactiveMailer mailer;

    public MailSender(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    @AsynchronousNonBlocking
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 500, jitter = 200, retryOn = {SmtpUnavailable.class, TimeoutException.class},
            abortOn = PermanentMailFailure.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            failOn = {SmtpUnavailable.class, TimeoutException.class}, skipOn = PermanentMailFailure.class)
    public Uni<Void> send(Mail mail) {
        return Uni.createFrom().deferred(() -> mailer.send(mail))
                .onFailure().transform(failure -> classify(failure, mail.getTo()));
    }

    static Throwable classify(Throwable failure, List<String> recipients) {
        if (failure instanceof PermanentMailFailure || failure instanceof SmtpUnavailable) {
            return failure;
        }
        if (failure instanceof IllegalArgumentException) {
            // The recipient's fault only when the mailer cannot parse it; else the message or the configuration
            // (a bad quarkus.mailer.from) is wrong, and every other mail would fail alike: keep the row.
            return recipients.stream().anyMatch(MailSender::unparseable) ? new UndeliverableAddress("address_invalid")
                    : new PermanentMailFailure("message_invalid");
        }
        if (failure instanceof SMTPException smtp) {
            boolean atRecipient = smtp.getMessage() != null && smtp.getMessage().startsWith(AT_RECIPIENT);
            if (atRecipient && smtp.isPermanent() && RECIPIENT_REFUSED.contains(smtp.getReplyCode())) {
                return new UndeliverableAddress("recipient_refused_" + smtp.getReplyCode());
            }
            if (atRecipient || smtp.isPermanent()) {
                return new PermanentMailFailure(smtp.getReplyCode());
            }
        }
        return new SmtpUnavailable(failure);
    }

    private static boolean unparseable(String address) {
        try {
            new EmailAddress(address);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
