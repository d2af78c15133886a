package dev.iris.mail;

import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox keeps mail while SMTP is down and delivers it when SMTP is back: nothing lost. */
@QuarkusTest
class SmtpOutageTest {

    @Inject
    Pool pool;

    @AfterEach
    void smtpBack() {
        Smtp.start();
    }

    @Test
    void mailSentWhileSmtpIsDownArrivesAfterItComesBack() {
        Api api = Api.local();
        String email = Api.uniqueEmail();
        api.createIdentity(email);
        String flow = api.newLoginFlow();

        Smtp.stop();
        api.send(flow, email).then().statusCode(400);
        awaitFailedAttempts(UUID.fromString(flow), 1);
        assertThat(pendingSealedPayload(UUID.fromString(flow))).doesNotContain(email);

        Smtp.start();
        LoginMail mail = LoginMail.parse(Smtp.await(email, 1, Duration.ofSeconds(30)).get(0));
        api.redeemCode(flow, email, mail.code()).then().statusCode(200);
    }

    private void awaitFailedAttempts(UUID flowId, int attempts) {
        Poll.until(() -> {
            var rows = pool.preparedQuery("SELECT attempts, last_error FROM mail_outbox WHERE flow_id = $1")
                    .execute(Tuple.of(flowId)).await().indefinitely();
            return rows.size() == 1 && rows.iterator().next().getInteger("attempts") >= attempts
                    && rows.iterator().next().getString("last_error") != null;
        }, Duration.ofSeconds(20), attempts + " failed delivery attempt(s) in the outbox");
    }

    private String pendingSealedPayload(UUID flowId) {
        var rows = pool.preparedQuery("SELECT payload FROM mail_outbox WHERE flow_id = $1")
                .execute(Tuple.of(flowId)).await().indefinitely();
        return new String(rows.iterator().next().getBuffer("payload").getBytes(),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
