package dev.iris.support;

import java.util.Optional;
import java.util.UUID;

/** Strict UUID parsing for ids that arrive in URLs (exactly the 36-character canonical form). */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> parse(String raw) {
        if (raw == null || raw.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
