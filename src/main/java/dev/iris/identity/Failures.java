package dev.iris.identity;

import io.vertx.pgclient.PgException;

/** Recognises database failures by what they mean, whatever wraps them. */
public final class Failures {

    private Failures() {
    }

    /** True for a unique-constraint violation (SQLSTATE 23505) anywhere in the cause chain. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
