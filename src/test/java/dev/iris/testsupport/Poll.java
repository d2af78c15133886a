package dev.iris.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that becomes true asynchronously (mail delivered, outbox drained, …). */
public final class Poll {

    private Poll() {
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Smtp.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
