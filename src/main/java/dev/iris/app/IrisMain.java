package dev.iris.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.AsyncHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Runs Iris like Quarkus's own main, with one difference: a start that fails logs why and waits for that line
 * to be written before the process exits.
 *
 * <p>Production logs through an asynchronous console handler (application.properties). When a start fails,
 * Quarkus's own main logs the reason on that handler's queue, sleeps 200 ms and exits; the background thread
 * may not have written the record by then, and the pod dies without saying why (quarkusio/quarkus#20660;
 * ProdConfigIT saw "Iris refuses to start" go missing this way, about one start in ten). Here the asynchronous
 * handlers are closed without closing the console behind them — their thread then writes out what is queued and
 * lets go of the console — and the exit waits for that, up to {@link #DRAIN_LIMIT}.
 */
@QuarkusMain
public final class IrisMain {

    static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

    public static void main(String... args) {
        Quarkus.run(null, IrisMain::exit, args);
    }

    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            // Given an exit handler, Quarkus leaves reporting the failure to it.
            org.jboss.logging.Logger.getLogger(IrisMain.class).error("Iris failed to start", failure);
            drainAsyncLogs(Logger.getLogger("").getHandlers(), DRAIN_LIMIT);
        }
        System.exit(code);
    }

    /**
     * Closes every asynchronous handler among {@code roots} (and nested in them) and waits until each has written
     * its queue, or the limit passes. The handlers they write to stay open.
     */
    static void drainAsyncLogs(Handler[] roots, Duration limit) {
        List<AsyncHandler> handlers = asyncHandlers(roots, new ArrayList<>());
        List<Handler> consoles = new ArrayList<>();
        for (AsyncHandler handler : handlers) {
            consoles.addAll(List.of(handler.getHandlers()));
            handler.setCloseChildren(false); // by default closing would close the console before the queue is out
            handler.close();
        }
        long deadline = System.nanoTime() + limit.toNanos();
        // An AsyncHandler's thread drops its nested handlers only after the queue is empty (AsyncHandler.AsyncTask).
        while (handlers.stream().anyMatch(handler -> handler.getHandlers().length > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        consoles.forEach(Handler::flush);
    }

    private static List<AsyncHandler> asyncHandlers(Handler[] handlers, List<AsyncHandler> found) {
        for (Handler handler : handlers) {
            if (handler instanceof AsyncHandler async) {
                found.add(async);
            } else if (handler instanceof ExtHandler parent) {
                asyncHandlers(parent.getHandlers(), found);
            }
        }
        return found;
    }
}
