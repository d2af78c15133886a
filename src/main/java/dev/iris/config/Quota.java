package dev.iris.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "How many per how long", written {@code 5/5m}, {@code 10/1h}, {@code 30/300s}. Configuration keys of this type
 * are read through {@link QuotaConverter}, so a bad value fails at start with an error that names its key.
 */
public record Quota(int limit, Duration window) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*(ms|s|m|h|d)\\s*");

    public static Quota parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Long.parseLong(m.group(2)) < 1) {
            throw new IllegalArgumentException("must look like 5/5m (count/duration with ms, s, m, h or d), got "
                    + text);
        }
        long amount = Long.parseLong(m.group(2));
        Duration window = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        return new Quota(Integer.parseInt(m.group(1)), window);
    }
}
