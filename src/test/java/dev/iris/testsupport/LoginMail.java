package dev.iris.testsupport;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a sign-in (or recovery, verification) email a test needs, read from the real message. */
public record LoginMail(String subject, String text, String html, String code, String flowId, String linkToken,
                        String link) {

    private static final Pattern LINK = Pattern.compile(
            "(https?://\\S+/(?:login|registration|recovery|verification)\\?flow=([0-9a-f-]{36})&code=([A-Za-z0-9_-]{43}))");
    /** The code stands on a line of its own, indented, in every language. */
    private static final Pattern CODE = Pattern.compile("(?m)^\\s+(\\d{6})\\s*$");

    public static LoginMail parse(MimeMessage message) {
        try {
            String text = part(message, "text/plain");
            String html = part(message, "text/html");
            if (text == null) {
                throw new AssertionError("no text/plain part");
            }
            Matcher link = LINK.matcher(text);
            Matcher code = CODE.matcher(text);
            if (!link.find() || !code.find()) {
                throw new AssertionError("no link or code in: " + text);
            }
            return new LoginMail(message.getSubject(), text, html, code.group(1), link.group(2), link.group(3),
                    link.group(1));
        } catch (Exception e) {
            throw new AssertionError("unreadable mail", e);
        }
    }

    /** The message's text/plain body. */
    public static String textOf(MimeMessage message) {
        try {
            String text = part(message, "text/plain");
            if (text == null) {
                throw new AssertionError("no text/plain part");
            }
            return text;
        } catch (Exception e) {
            throw new AssertionError("unreadable mail", e);
        }
    }

    private static String part(MimeMessage message, String type) throws Exception {
        Multipart multipart = (Multipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        return null;
    }
}
