package dev.iris.mail;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A request never waits for a poll: it runs at once, or exactly once more after the run in progress. */
class CoalescedRunTest {

    /** A task whose runs end only when the test says so. */
    static final class HeldTask {
        final List<UniEmitter<? super Void>> runs = new ArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final CoalescedRun run = new CoalescedRun(
                () -> Uni.createFrom().emitter(runs::add), failures::add);

        void finish(int index) {
            runs.get(index).complete(null);
        }
    }

    @Test
    void anIdleRequestRunsAtOnce() {
        HeldTask task = new HeldTask();
        task.run.request();
        assertThat(task.runs).hasSize(1);
        task.finish(0);
        assertThat(task.runs).hasSize(1);
    }

    @Test
    void requestsDuringARunMakeExactlyOneMoreRunWhenItEnds() {
        HeldTask task = new HeldTask();
        task.run.request();
        task.run.request();
        task.run.request();
        task.run.request();
        assertThat(task.runs).hasSize(1); // never two at a time

        task.finish(0);
        assertThat(task.runs).hasSize(2);
        task.finish(1);
        assertThat(task.runs).hasSize(2); // nothing was requested during the second run
    }

    @Test
    void aRequestAfterTheRunEndedStartsItsOwnRun() {
        HeldTask task = new HeldTask();
        task.run.request();
        task.finish(0);
        task.run.request();
        assertThat(task.runs).hasSize(2);
    }

    @Test
    void aFailedRunIsReportedAndStillServesTheRequestsItMissed() {
        HeldTask task = new HeldTask();
        task.run.request();
        task.run.request();
        task.runs.get(0).fail(new IllegalStateException("outbox down"));

        assertThat(task.failures).singleElement().extracting(Throwable::getMessage).isEqualTo("outbox down");
        assertThat(task.runs).hasSize(2);
    }

    @Test
    void aTaskThatThrowsIsReportedAndDoesNotBlockLaterRuns() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        int[] calls = {0};
        CoalescedRun run = new CoalescedRun(() -> {
            calls[0]++;
            throw new IllegalStateException("no pool");
        }, failures::add);
        run.request();
        run.request();

        assertThat(calls[0]).isEqualTo(2);
        assertThat(failures).hasSize(2);
    }
}
