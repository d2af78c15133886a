package dev.iris.app;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed start writes out every queued log record before the process exits (see {@link IrisMain}). */
class IrisMainTest {

    /** Stands for the console: slow to write, and remembers whether it was closed. */
    static final class SlowConsole extends ExtHandler {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        protected void doPublish(ExtLogRecord record) {
            long until = System.nanoTime() + Duration.ofMillis(50).toNanos();
            while (System.nanoTime() < until) { // closing interrupts the writer thread; a console write goes on
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    // ignored, as a FileOutputStream write would
                }
            }
            if (!closed) {
                written.add(record.getMessage());
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void everyQueuedRecordIsWrittenAndTheConsoleStaysOpen() {
        SlowConsole console = new SlowConsole();
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        ExtHandler root = new ExtHandler() { };
        root.addHandler(async); // nested, like Quarkus's delayed handler holding the async console

        for (int i = 1; i <= 8; i++) {
            async.publish(new ExtLogRecord(Level.SEVERE, "record " + i, getClass().getName()));
        }
        IrisMain.drainAsyncLogs(new Handler[] {root}, Duration.ofSeconds(10));

        assertThat(console.written).containsExactly(
                "record 1", "record 2", "record 3", "record 4", "record 5", "record 6", "record 7", "record 8");
        assertThat(console.closed).isFalse();
    }

    @Test
    void theWaitEndsAtTheLimit() {
        SlowConsole console = new SlowConsole();
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        for (int i = 1; i <= 200; i++) { // 10 s of writing
            async.publish(new ExtLogRecord(Level.SEVERE, "record " + i, getClass().getName()));
        }
        IrisMain.drainAsyncLogs(new Handler[] {async}, Duration.ofMillis(300));

        assertThat(console.written).hasSizeLessThan(200); // returned while the queue was still being written
    }
}
