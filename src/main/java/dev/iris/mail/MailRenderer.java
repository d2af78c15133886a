package dev.iris.mail;

import dev.iris.config.IrisConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/** Turns a payload into an email, HTML and plain text, from the Qute templates under {@code templates/mail}. */
@ApplicationScoped
public class MailRenderer {

    private final Map<MailTemplate, Template[]> templates = new EnumMap<>(MailTemplate.class);
    private final IrisConfig config;

    public MailRenderer(Engine engine, IrisConfig config) {
        this.config = config;
        for (MailTemplate template : MailTemplate.values()) {
            Template html = engine.getTemplate(template.location() + ".html");
            Template text = engine.getTemplate(template.location() + ".txt");
            if (html == null || text == null) {
                throw new IllegalStateException("missing mail template " + template.location());
            }
            templates.put(template, new Template[]{html, text});
        }
    }

    public Mail render(MailTemplate template, MailPayload payload) {
        Template[] pair = templates.get(template);
        return Mail.withHtml(payload.to(), template.subject(), render(pair[0], payload))
                .setText(render(pair[1], payload));
    }

    private String render(Template template, MailPayload payload) {
        return template.data("appName", config.mail().appName())
                .data("link", payload.link())
                .data("code", payload.code())
                .data("minutes", payload.expiresInMinutes())
                .render();
    }
}
