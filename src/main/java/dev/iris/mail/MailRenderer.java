package dev.iris.mail;

import dev.iris.config.IrisConfig;
import dev.iris.support.Languages;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import dev.iris.support.MessageTexts;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a payload into an email, HTML and plain text, from the Qute templates under {@code templates/mail}.
 *
 * <p>The HTML is sent with its lines joined ({@link #joinLines}): the SMTP client writes and flushes a message body
 * one line at a time, waiting for each write, so a 25-line template cost 25 socket writes per email — the largest
 * single item of mail delivery in the profile. Line breaks between HTML tags and words are plain whitespace, so
 * the page renders the same; no line exceeds {@link #MAX_LINE} characters (SMTP allows 998).
 */
@Singleton
public class MailRenderer {

    static final int MAX_LINE = 900;

    private final Map<MailTemplate, Template[]> templates = new EnumMap<>(MailTemplate.class);
    private final IrisConfig config;
    private final MessageTexts texts;

    public MailRenderer(Engine engine, IrisConfig config, MessageTexts texts) {
        this.config = config;
        this.texts = texts;
        for (MailTemplate template : MailTemplate.values()) {
            Template html = engine.getTemplate(template.location() + ".html");
            Template text = engine.getTemplate(template.location() + ".txt");
            if (html == null || text == null) {
                throw new IllegalStateException("missing mail template " + template.location());
            }
            templates.put(template, new Template[]{html, text});
        }
    }

    /** The email in the payload's language (English when it names none of ours). */
    public Mail render(MailTemplate template, MailPayload payload) {
        String language = Languages.orDefault(payload.language());
        Template[] pair = templates.get(template);
        // Through the engine, as the bodies are, so a deployment's overrides of a subject apply too.
        return Mail.withHtml(payload.to(), texts.text("mail", template.subject(), language),
                        joinLines(render(pair[0], payload, language)))
                .setText(render(pair[1], payload, language));
    }

    private String render(Template template, MailPayload payload, String language) {
        return template.data("appName", config.mail().appName())
                .data("link", payload.link())
                .data("code", payload.code())
                .data("minutes", payload.expiresInMinutes())
                .data("lang", language)
                .setLocale(Locale.forLanguageTag(language))
                .render();
    }

    /**
     * Joins the lines of an HTML body with single spaces (indentation dropped) into lines of at most
     * {@link #MAX_LINE} characters; a source line longer than that stays a line of its own, as it was.
     */
    static String joinLines(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int lineStart = 0;
        for (String raw : html.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int lineLength = out.length() - lineStart;
            if (lineLength > 0 && lineLength + 1 + line.length() > MAX_LINE) {
                out.append('\n');
                lineStart = out.length();
            } else if (lineLength > 0) {
                out.append(' ');
            }
            out.append(line);
        }
        return out.toString();
    }
}
