package dev.iris.selfservice.flow;

import dev.iris.session.ClientInfo;

/**
 * Who submits: the client, and what a browser brought along — its CSRF cookie value and the form's
 * {@code csrf_token} — plus whether the request looked like a browser's (cookies or an Origin header), the
 * session token it presented (header or cookie; null when none), and whether it is a browser form post (answered
 * by a redirect to the flow's page, which then shows the flow's remembered messages). {@code sameBrowser} is set
 * by the flow service once the flow is known: the submitting browser started the flow.
 */
public record SubmitContext(ClientInfo client, String csrfCookie, String csrfToken, boolean looksLikeBrowser,
                            String sessionToken, boolean formPost, boolean sameBrowser) {

    public SubmitContext(ClientInfo client, String csrfCookie, String csrfToken, boolean looksLikeBrowser,
                         String sessionToken, boolean formPost) {
        this(client, csrfCookie, csrfToken, looksLikeBrowser, sessionToken, formPost, false);
    }

    public SubmitContext inBrowserThatStarted(boolean started) {
        return new SubmitContext(client, csrfCookie, csrfToken, looksLikeBrowser, sessionToken, formPost, started);
    }
}
