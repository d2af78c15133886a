package dev.iris.method.code;

import dev.iris.mail.MailPayload;
import dev.iris.mail.MailQueue;
import dev.iris.mail.MailTemplate;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.Poll;
import dev.iris.testsupport.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched send statement with several callers in one statement. Every slot is first taken by sends that wait
 * for a row lock this test holds, so the sends under test are forced to wait and then go out as one statement.
 */
@QuarkusTest
class CodeStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    CodeStore store;

    @Inject
    MailQueue mail;

    @Inject
    Pool pool;

    @Test
    void aStatementOfSendsAnswersAndQueuesPerAddressAndFindsEachFlowsNewestCode() {
        String known = Api.uniqueEmail();
        createIdentity(known);
        UUID resentFlow = UUID.randomUUID();
        CodeStore.NewCode first = issue(known, resentFlow);
        CodeStore.NewCode blocker = issue(known, UUID.randomUUID());
        List<String> emails = List.of(known, Api.uniqueEmail(), known, Api.uniqueEmail());
        List<UUID> flows = List.of(resentFlow, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        List<CodeStore.NewCode> codes = flows.stream().map(CodeStoreTest::newCode).toList();

        List<UniAssertSubscriber<Boolean>> sends = whileSlotsWaitForLockOn(blocker.id(),
                () -> subscribe(store.issue(known, newCode(blocker.flowId()), queued(known))), () -> {
                    List<UniAssertSubscriber<Boolean>> calls = new ArrayList<>();
                    for (int i = 0; i < flows.size(); i++) {
                        calls.add(subscribe(store.issue(emails.get(i), codes.get(i), queued(emails.get(i)))));
                    }
                    return calls;
                });

        assertThat(sends.stream().map(send -> send.awaitItem(WAIT).getItem())).containsExactly(true, false, true, false);
        Poll.until(() -> flows.stream().allMatch(flow -> count("SELECT count(*) FROM mail_outbox WHERE flow_id = $1",
                flow) == 0), WAIT, "the batch's mail delivered");
        assertThat(Smtp.await(known, 8, WAIT)).as("first, blocker, 4 slot fillers, 2 in the batch").hasSize(8)
                .allSatisfy(message -> assertThat(message.getSubject()).isEqualTo("Your sign-in link"));
        for (String unknown : List.of(emails.get(1), emails.get(3))) {
            assertThat(Smtp.messagesTo(unknown)).as("an unknown address never gets a code")
                    .noneSatisfy(message -> assertThat(message.getSubject()).isEqualTo("Your sign-in link"));
        }
        List<UUID> lookups = List.of(resentFlow, flows.get(1), UUID.randomUUID(), resentFlow);
        List<CodeStore.OpenCode> open = Uni.join().all(lookups.stream().map(store::findOpen).toList())
                .andFailFast().await().atMost(WAIT);
        assertThat(open.get(0).id()).as("the resend retired the first code").isEqualTo(codes.get(0).id())
                .isNotEqualTo(first.id());
        assertThat(open.get(1).id()).isEqualTo(codes.get(1).id());
        assertThat(open.get(1).identityId()).as("an unknown address's code has no identity").isNull();
        assertThat(open.get(2)).as("a flow without codes").isNull();
        assertThat(open.get(3).id()).isEqualTo(codes.get(0).id());
    }

    /**
     * Holds a row lock on {@code lockedCode}, fills every execution slot with {@code slotFiller} calls (which wait for
     * that lock), makes the calls under test (which must wait for a slot), then lets go.
     */
    private <T, U> List<UniAssertSubscriber<T>> whileSlotsWaitForLockOn(UUID lockedCode,
                                                                        Supplier<UniAssertSubscriber<U>> slotFiller,
                                                                        Supplier<List<UniAssertSubscriber<T>>> calls) {
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction transaction = connection.begin().await().atMost(WAIT);
            connection.preparedQuery("SELECT 1 FROM login_codes WHERE id = $1 FOR UPDATE")
                    .execute(Tuple.of(lockedCode)).await().atMost(WAIT);
            List<UniAssertSubscriber<U>> fillers = new ArrayList<>();
            for (int i = 0; i < CodeStore.MAX_IN_FLIGHT; i++) {
                fillers.add(slotFiller.get());
            }
            List<UniAssertSubscriber<T>> made = calls.get();
            made.forEach(UniAssertSubscriber::assertNotTerminated);
            transaction.rollback().await().atMost(WAIT);
            fillers.forEach(filler -> filler.awaitItem(WAIT));
            return made;
        } finally {
            connection.close().await().atMost(WAIT);
        }
    }

    private CodeStore.NewCode issue(String email, UUID flowId) {
        CodeStore.NewCode code = newCode(flowId);
        store.issue(email, code, queued(email)).await().atMost(WAIT);
        return code;
    }

    private static CodeStore.NewCode newCode(UUID flowId) {
        Instant now = Instant.now();
        return new CodeStore.NewCode(UUID.randomUUID(), flowId, random32(), random32(), now,
                now.plus(Duration.ofMinutes(15)));
    }

    private CodeStore.QueuedMail queued(String email) {
        MailPayload payload = new MailPayload(email, "123456", "https://example.com/login", 15);
        return new CodeStore.QueuedMail(UUID.randomUUID(), MailTemplate.LOGIN_CODE.name(), mail.seal(payload),
                MailTemplate.LOGIN_UNKNOWN.name(), mail.seal(new MailPayload(email, null, null, 15)));
    }

    private UUID createIdentity(String email) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO identities (id, email, address_id, email_verified, created_at, updated_at)
                        VALUES ($1, $2, $3, false, now(), now())""")
                .execute(Tuple.of(id, email, UUID.randomUUID())).await().atMost(WAIT);
        return id;
    }

    private long count(String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static byte[] random32() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static <T> UniAssertSubscriber<T> subscribe(Uni<T> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create());
    }
}
