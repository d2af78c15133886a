package dev.iris.mail;

/**
 * What a queued email needs; sealed before it is stored. {@code language}: the language to write it in (one of
 * {@code support.Languages}; null: English) — chosen when the email is queued, from the request that caused it, so
 * whichever instance delivers it later writes the same.
 */
public record MailPayload(String to, String code, String link, long expiresInMinutes, String language) {

    public MailPayload(String to, String code, String link, long expiresInMinutes) {
        this(to, code, link, expiresInMinutes, null);
    }

    /** The same email in {@code tag} (the recipient's own choice, which wins over the request's). */
    public MailPayload inLanguage(String tag) {
        return new MailPayload(to, code, link, expiresInMinutes, tag);
    }
}
