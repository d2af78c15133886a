package dev.iris.support;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** Turns failures of a backing service into a clean 503 with a clear id (and a log line without details). */
public final class Unavailable {

    private Unavailable() {
    }

    /** Redis failures (anything but an {@link ApiException}) become 503 {@code id}. */
    public static <T> Uni<T> redis(Uni<T> work, String id, String reason) {
        return work.onFailure(failure -> !(failure instanceof ApiException)).transform(failure -> {
            Log.warnf("Redis unavailable (%s): %s", id, failure.getClass().getSimpleName());
            return new ApiException(503, id, reason).header("Retry-After", "5");
        });
    }
}
