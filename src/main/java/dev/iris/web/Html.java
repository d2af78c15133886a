package dev.iris.web;

import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.RawString;

import java.util.List;

/**
 * Markup a translated message wraps around a value ({@code We sent a link to <strong>…</strong>.}): the value is
 * escaped by Qute's own HTML escaper, the message is then output raw — so no sentence is ever cut into fragments.
 */
final class Html {

    private static final HtmlEscaper ESCAPER = new HtmlEscaper(List.of("text/html"));

    private Html() {
    }

    /** {@code <strong data-testid="testId">value</strong>}, the value escaped. */
    static RawString strong(String testId, String value) {
        return new RawString("<strong data-testid=\"" + testId + "\">" + (value == null ? "" : ESCAPER.map(value, null)) + "</strong>");
    }
}
