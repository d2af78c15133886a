package dev.iris.http;

import dev.iris.support.Languages;
import dev.iris.config.IrisConfig;
import jakarta.inject.Singleton;

/** The browser cookies Iris sets: always {@code HttpOnly; SameSite=Lax; Path=/}, {@code Secure} unless disabled. */
@Singleton
public class Cookies {

    private final String sessionName;
    private final long sessionMaxAge;
    private final String secure;
    private final String domain;

    public Cookies(IrisConfig config) {
        this.sessionName = config.session().cookieName();
        this.sessionMaxAge = config.session().lifespan().toSeconds();
        this.secure = config.session().cookieSecure() ? "; Secure" : "";
        this.domain = config.session().cookie().domain().map(d -> "; Domain=" + d).orElse("");
    }

    public String session(String token) {
        return sessionName + "=" + token + "; Path=/" + domain + "; Max-Age=" + sessionMaxAge
                + "; HttpOnly; SameSite=Lax" + secure;
    }

    public String clearSession() {
        return sessionName + "=; Path=/" + domain + "; Max-Age=0; HttpOnly; SameSite=Lax" + secure;
    }

    public String csrf(String value) {
        return CsrfTokens.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + secure;
    }

    /** The pages' language switcher's choice, kept a year; not a secret, so readable by the page's own script. */
    public String language(String tag) {
        return Languages.COOKIE + "=" + tag + "; Path=/; Max-Age=31536000; SameSite=Lax" + secure;
    }

    public String sessionName() {
        return sessionName;
    }
}
