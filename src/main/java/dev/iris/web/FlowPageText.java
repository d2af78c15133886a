package dev.iris.web;

import dev.iris.selfservice.flow.FlowKind;
import dev.iris.support.MessageTexts;

import java.util.List;
import java.util.Locale;

/**
 * What the built-in pages say for each flow that proves an address — the email form, the "check your email" form,
 * the link's confirmation page — as messages of the {@code page} bundle named after the flow
 * ({@code loginHeading}, {@code recoveryConfirmQuestion} …; {@link PageMessages}), and where the page's other link
 * leads.
 */
record FlowPageText(MessageTexts texts, String prefix, String language, FlowKind other) {

    static FlowPageText of(FlowKind kind, MessageTexts texts, String language) {
        FlowKind other = switch (kind) {
            case LOGIN -> FlowKind.REGISTRATION;
            case REGISTRATION, RECOVERY, VERIFICATION -> FlowKind.LOGIN;
            case SETTINGS -> throw new IllegalArgumentException("settings has its own page");
        };
        return new FlowPageText(texts, kind.name().toLowerCase(Locale.ROOT), language, other);
    }

    /** The flow's message {@code <flow><part>}, e.g. {@code heading} → {@code loginHeading}. */
    String text(String part) {
        return texts.text("page", key(part), language);
    }

    /** The confirmation page's question, naming the (masked) address given as HTML. */
    String question(String addressHtml) {
        return texts.text("page", key("ConfirmQuestion"), language, List.of("address"), List.of(addressHtml));
    }

    private String key(String part) {
        return prefix + Character.toUpperCase(part.charAt(0)) + part.substring(1);
    }
}
