package dev.iris.mail;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a task at most once at a time without losing a request: a request made while a run is in progress makes
 * the task run once more when that run ends, however many requests came meanwhile. (The mail outbox drain: a
 * mail queued while the last batch was being sent would otherwise wait for the next poll.)
 */
public final class CoalescedRun {

    private final Supplier<Uni<Void>> task;
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    public CoalescedRun(Supplier<Uni<Void>> task, Consumer<Throwable> onFailure) {
        this.task = task;
        this.onFailure = onFailure;
    }

    /** Runs the task now, or once more after the run in progress. */
    public void request() {
        requested.set(true);
        if (running.compareAndSet(false, true)) {
            runOnce();
        }
    }

    private void runOnce() {
        requested.set(false); // this run serves every request made so far
        Uni<Void> run;
        try {
            run = task.get();
        } catch (RuntimeException e) {
            run = Uni.createFrom().failure(e);
        }
        run.subscribe().with(done -> finished(), failure -> {
            onFailure.accept(failure);
            finished();
        });
    }

    private void finished() {
        running.set(false);
        // A request made after runOnce began found the run in progress and left it to us; one that comes after
        // running went false starts its own run, and then this compareAndSet fails.
        if (requested.get() && running.compareAndSet(false, true)) {
            runOnce();
        }
    }
}
