package dev.iris.support;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages Iris speaks (emails and pages): English (the default and the fallback), German, French. A request's
 * {@code Accept-Language} is matched with the JDK's RFC 4647 lookup, quality values honoured ({@code de-DE,de;q=0.9}
 * → German; {@code pt-BR} → none of ours, so English); a browser's choice in the pages' switcher (a cookie) comes
 * before its {@code Accept-Language}.
 */
public final class Languages {

    public static final String DEFAULT = "en";
    /** The cookie holding a browser's choice from the pages' language switcher. */
    public static final String COOKIE = "iris_lang";
    public static final List<String> SUPPORTED = List.of("en", "de", "fr");
    private static final List<Locale> LOCALES = SUPPORTED.stream().map(Locale::forLanguageTag).toList();
    private static final int MAX_HEADER = 512;

    private Languages() {
    }

    /** The best of our languages for an {@code Accept-Language} header; empty when it names none (or is malformed). */
    public static Optional<String> negotiate(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > MAX_HEADER) {
            return Optional.empty();
        }
        try {
            Locale best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), LOCALES);
            return Optional.ofNullable(best).map(Locale::getLanguage);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /**
     * The language a browser chose: its language cookie ({@link #COOKIE}, set by the pages' switcher) when it names one
     * of ours, else its {@code Accept-Language}; empty when neither names one of ours.
     */
    public static Optional<String> chosen(String cookie, String acceptLanguage) {
        return supported(cookie).or(() -> negotiate(acceptLanguage));
    }

    /** {@code tag} when it is exactly one of ours. */
    public static Optional<String> supported(String tag) {
        return tag != null && SUPPORTED.contains(tag) ? Optional.of(tag) : Optional.empty();
    }

    /** {@code tag} when it is one of ours, else the default. */
    public static String orDefault(String tag) {
        return tag != null && SUPPORTED.contains(tag) ? tag : DEFAULT;
    }
}
