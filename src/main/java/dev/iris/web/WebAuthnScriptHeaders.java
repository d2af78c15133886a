package dev.iris.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code /.well-known/ory/webauthn.js} is loaded by Kratos UIs on their own origin with {@code crossorigin="anonymous"}
 * and an {@code integrity} hash (the {@code webauthn_script} node), which browsers fetch in CORS mode: without
 * {@code Access-Control-Allow-Origin} they refuse to run it. It is a public, static script holding nothing of anyone,
 * so any origin may load it; {@code X-Content-Type-Options: nosniff} keeps it a script only.
 */
@Singleton
public class WebAuthnScriptHeaders {

    static final String PATH = "/.well-known/ory/webauthn.js";

    void install(@Observes Router router) {
        router.get(PATH).order(-90).handler(context -> {
            context.response().putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Cache-Control", "public, max-age=300");
            context.next();
        });
    }
}
