package dev.iris.mail;

/** What a queued email needs; sealed before it is stored. */
public record MailPayload(String to, String code, String link, long expiresInMinutes) {
}
