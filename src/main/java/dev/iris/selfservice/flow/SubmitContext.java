package dev.iris.selfservice.flow;

import dev.iris.session.ClientInfo;

/**
 * Who submits: the client, and what a browser brought along — its CSRF cookie value and the form's
 * {@code csrf_token} — plus whether the request looked like a browser's (cookies or an Origin header), and the
 * session token it presented (header or cookie; null when none).
 */
public record SubmitContext(ClientInfo client, String csrfCookie, String csrfToken, boolean looksLikeBrowser,
                            String sessionToken) {
}
