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

    /**
     * Iris's confirmation page posts to Iris, which answers with a 303 to the UI; browsers apply the page's CSP
     * form-action to that redirect too, so the UI's origins must be in it (the reference UI run caught a link
     * sign-in stuck on the page: "violates … form-action 'self' http://127.0.0.1:8095").
     */
    @Test
    void pagesMayPostFormsThatRedirectToTheUi() {
        ReturnUrls urls = new ReturnUrls(IrisConfigs.build(Map.of("iris.public-url", "http://127.0.0.1:8095",
                "iris.ui.base-url", "http://127.0.0.1:4455",
                "iris.ui.allowed-return-urls", "http://127.0.0.1:4455/,https://app.example.com/after")));
        assertThat(urls.formActionSources().split(" "))
                .containsExactlyInAnyOrder("http://127.0.0.1:4455", "https://app.example.com", "http://127.0.0.1:8095");
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
