package dev.iris.http;

import dev.iris.config.IrisConfig;
import dev.iris.testsupport.IrisConfigs;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two settings of a deployment where the UI is not Iris's own pages: emailed links land on Iris's confirmation
 * page (or where {@code iris.mail.link-base-url} says), and the session cookie may be shared with a parent domain.
 */
class LinkAndCookieDomainTest {

    @Test
    void linksLandOnIrisEvenWhenTheUiIsElsewhere() {
        IrisConfig elsewhere = IrisConfigs.build(Map.of("iris.public-url", "https://auth.example.com",
                "iris.ui.base-url", "https://example.com/account"));
        assertThat(elsewhere.linkBaseUrl()).isEqualTo("https://auth.example.com");
        IrisConfig chosen = IrisConfigs.build(Map.of("iris.public-url", "https://auth.example.com",
                "iris.mail.link-base-url", "https://links.example.com"));
        assertThat(chosen.linkBaseUrl()).isEqualTo("https://links.example.com");
    }

    @Test
    void theSessionCookieCarriesTheConfiguredDomain() {
        Cookies shared = new Cookies(IrisConfigs.build(Map.of("iris.session.cookie.domain", "example.com")));
        assertThat(shared.session("tok")).contains("; Domain=example.com;").contains("HttpOnly");
        assertThat(shared.clearSession()).contains("; Domain=example.com;").contains("Max-Age=0");
        Cookies hostOnly = new Cookies(IrisConfigs.build(Map.of()));
        assertThat(hostOnly.session("tok")).doesNotContain("Domain");
    }
}
