package dev.iris.web;

import jakarta.ws.rs.core.Response;

/**
 * Headers every built-in page carries: a CSP with no inline script or style and no framing, no sniffing, no
 * referrer (links can carry tokens), and no caching (pages carry CSRF tokens and, on the link page, the token).
 */
final class PageHeaders {

    private PageHeaders() {
    }

    static Response.ResponseBuilder html(Response.ResponseBuilder builder, String formTarget) {
        return builder.type("text/html;charset=UTF-8")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self' data:; form-action 'self' " + formTarget + "; frame-ancestors 'none'; "
                        + "base-uri 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }
}
