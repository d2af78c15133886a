package dev.iris.identity;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalises and validates an address typed by a user: trimmed, lower-cased, at most 254 characters
 * (RFC 5321), one {@code @}, a dotted domain, no whitespace or control characters.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile(
            "^[^@\\s\\p{Cntrl}]{1,64}@[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62})(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}))+$");

    private EmailAddress() {
    }

    /** The normalised address, or empty when the input is not an acceptable address. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.strip().toLowerCase(java.util.Locale.ROOT);
        if (value.isEmpty() || value.length() > MAX_LENGTH || !SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
