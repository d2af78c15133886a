package dev.iris.method.code;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching rules: idle calls go at once, waiting calls go together, each caller gets its own answer. */
class StatementBatcherTest {

    /** An execution the test finishes by hand: the items it was given and its pending answer. */
    private record Execution(List<String> items, UniEmitter<? super List<String>> answer) {

        void answerUpperCase() {
            answer.complete(items.stream().map(String::toUpperCase).toList());
        }
    }

    private final List<Execution> executions = new ArrayList<>();
    private final List<Integer> sizesTold = new ArrayList<>();

    private StatementBatcher<String, String> batcher(int maxInFlight, int maxBatch) {
        return new StatementBatcher<>(maxInFlight, maxBatch,
                items -> Uni.createFrom().emitter(emitter -> executions.add(new Execution(List.copyOf(items), emitter))),
                sizesTold::add);
    }

    private static UniAssertSubscriber<String> call(StatementBatcher<String, String> batcher, String item) {
        return batcher.submit(item).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void anIdleCallRunsAloneAtOnce() {
        StatementBatcher<String, String> batcher = batcher(2, 64);

        UniAssertSubscriber<String> a = call(batcher, "a");

        assertThat(executions).extracting(Execution::items).containsExactly(List.of("a"));
        executions.get(0).answerUpperCase();
        a.assertItem("A");
    }

    @Test
    void callsWaitingForAFreeSlotGoOutTogetherAndEachGetsItsOwnAnswer() {
        StatementBatcher<String, String> batcher = batcher(1, 64);
        UniAssertSubscriber<String> a = call(batcher, "a");
        UniAssertSubscriber<String> b = call(batcher, "b");
        UniAssertSubscriber<String> c = call(batcher, "c");
        UniAssertSubscriber<String> d = call(batcher, "d");
        assertThat(executions).hasSize(1);
        b.assertNotTerminated();

        executions.get(0).answerUpperCase();

        a.assertItem("A");
        assertThat(executions).extracting(Execution::items).containsExactly(List.of("a"), List.of("b", "c", "d"));
        b.assertNotTerminated();
        executions.get(1).answerUpperCase();
        b.assertItem("B");
        c.assertItem("C");
        d.assertItem("D");
        assertThat(sizesTold).as("the batch sizes reached, for iris_sql_batched_rows_total").containsExactly(1, 3);
    }

    @Test
    void aBatchHoldsAtMostMaxBatchItems() {
        StatementBatcher<String, String> batcher = batcher(1, 2);
        call(batcher, "a");
        call(batcher, "b");
        call(batcher, "c");
        UniAssertSubscriber<String> d = call(batcher, "d");

        executions.get(0).answerUpperCase();
        executions.get(1).answerUpperCase();

        assertThat(executions).extracting(Execution::items)
                .containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
        executions.get(2).answerUpperCase();
        d.assertItem("D");
    }

    @Test
    void aFailedExecutionFailsEveryCallInItAndNoOther() {
        StatementBatcher<String, String> batcher = batcher(1, 64);
        UniAssertSubscriber<String> a = call(batcher, "a");
        UniAssertSubscriber<String> b = call(batcher, "b");
        UniAssertSubscriber<String> c = call(batcher, "c");
        executions.get(0).answerUpperCase();

        executions.get(1).answer().fail(new IllegalStateException("connection closed"));

        a.assertItem("A");
        b.assertFailedWith(IllegalStateException.class, "connection closed");
        c.assertFailedWith(IllegalStateException.class, "connection closed");
        UniAssertSubscriber<String> e = call(batcher, "e");
        assertThat(executions).hasSize(3);
        executions.get(2).answerUpperCase();
        e.assertItem("E");
    }

    @Test
    void anAnswerWithTheWrongNumberOfResultsFailsEveryCall() {
        StatementBatcher<String, String> batcher = batcher(1, 64);
        call(batcher, "a");
        UniAssertSubscriber<String> b = call(batcher, "b");
        UniAssertSubscriber<String> c = call(batcher, "c");
        executions.get(0).answerUpperCase();

        executions.get(1).answer().complete(List.of("B"));

        b.assertFailedWith(IllegalStateException.class, "answered 1 results for 2 items");
        c.assertFailedWith(IllegalStateException.class, "answered 1 results for 2 items");
    }

    @Test
    void anExecutionThatLostADeadlockRunsOnceMore() {
        AtomicInteger runs = new AtomicInteger();
        StatementBatcher<String, String> batcher = new StatementBatcher<>(1, 64, items -> runs.incrementAndGet() == 1
                ? Uni.createFrom().failure(new PgException("deadlock detected", "ERROR", "40P01", null))
                : Uni.createFrom().item(List.of("ok")));

        UniAssertSubscriber<String> a = call(batcher, "a");

        a.assertItem("ok");
        assertThat(runs).hasValue(2);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        StatementBatcher<String, String> batcher = new StatementBatcher<>(1, 64, items -> {
            runs.incrementAndGet();
            return Uni.createFrom().failure(new PgException("duplicate key", "ERROR", "23505", null));
        });

        call(batcher, "a").assertFailedWith(PgException.class, "duplicate key");

        assertThat(runs).hasValue(1);
        call(batcher, "b").assertFailedWith(PgException.class, "duplicate key");
        assertThat(runs).as("the slot was freed after the failure").hasValue(2);
    }

    @Test
    void anExecutionThatThrowsFailsItsCallsAndFreesItsSlot() {
        StatementBatcher<String, String> batcher = new StatementBatcher<>(1, 64, items -> {
            throw new IllegalArgumentException("bad row");
        });

        call(batcher, "a").assertFailedWith(IllegalArgumentException.class, "bad row");
        call(batcher, "b").assertFailedWith(IllegalArgumentException.class, "bad row");
    }
}
