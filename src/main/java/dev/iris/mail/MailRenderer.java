package dev.iris.mail;

import dev.iris.config.IrisConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.qute.Template;
import io.quarkus.qute.Location;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a payload into the email with the seed's wording, HTML and plain text. */
@ApplicationScoped
public class MailRenderer {

    static final String LOGIN_SUBJECT = "Your sign-in link";

    private final Template loginHtml;
    private final Template loginText;
    private final IrisConfig config;

    public MailRenderer(@Location("mail/login-code.html") Template loginHtml,
                        @Location("mail/login-code.txt") Template loginText, IrisConfig config) {
        this.loginHtml = loginHtml;
        this.loginText = loginText;
        this.config = config;
    }

    public Mail loginCode(MailPayload payload) {
        return Mail.withHtml(payload.to(), LOGIN_SUBJECT, render(loginHtml, payload))
                .setText(render(loginText, payload));
    }

    private String render(Template template, MailPayload payload) {
        return template.data("appName", config.mail().appName())
                .data("link", payload.link())
                .data("code", payload.code())
                .data("minutes", payload.expiresInMinutes())
                .render();
    }
}
