package dev.iris.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.mail.SMTPException;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The SMTP call, guarded: a timeout per attempt, a couple of quick retries with jittered backoff for transient
 * failures, and a circuit breaker so a dead SMTP server is not hammered. There is deliberately no fallback:
 * a failure goes back to the outbox, which retries later and dead-letters in the end. Tunable through
 * {@code dev.iris.mail.MailSender/send/<Annotation>/<property>}.
 */
@Singleton
public class MailSender {

    private final ReactiveMailer mailer;

    public MailSender(ReactiveMailer mailer) {
        this.mailer = mailer;
    }

    @AsynchronousNonBlocking
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 500, jitter = 200, abortOn = PermanentMailFailure.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    @CircuitBreaker(requestVolumeThreshold = 6, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = PermanentMailFailure.class)
    public Uni<Void> send(Mail mail) {
        return mailer.send(mail)
                .onFailure(SMTPException.class).transform(MailSender::classify);
    }

    private static Throwable classify(Throwable failure) {
        SMTPException smtp = (SMTPException) failure;
        return smtp.isPermanent() ? new PermanentMailFailure(smtp.getReplyCode()) : failure;
    }
}
