package dev.iris.browser;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.HeadlessChromium;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Smtp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in pages in a real browser (Debian's Chromium driven by Playwright) against the packaged app, with
 * real SMTP capture. Screenshots of every page, light and dark, 390 and 1280 px wide, go to
 * {@code target/screenshots}. Runs when {@code /usr/bin/chromium} exists (the "browser" Maven profile).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserIT {

    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final int COOLDOWN_SECONDS = 4;

    private PackagedApp app;
    private HeadlessChromium chromium;
    private Browser browser;

    @BeforeAll
    void start() {
        app = PackagedApp.start("browser", Map.of(
                "iris.ratelimit.send-per-ip", "200/5m",
                "iris.ratelimit.resend-cooldown", COOLDOWN_SECONDS + "s"));
        chromium = HeadlessChromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private BrowserContext newDevice() {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    }

    private String url(String path) {
        return app.baseUrl() + path;
    }

    /** Starts a flow in {@code page} and submits {@code email}; returns after the "check your email" page shows. */
    private void requestEmail(Page page, String path, String email) {
        page.navigate(url(path));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Email").press("Enter"); // keyboard only
        page.waitForSelector("text=Check your email");
        assertThat(page.locator("[data-testid=address]").textContent()).isEqualTo(email);
    }

    private LoginMail mail(String email, int index) {
        return LoginMail.parse(Smtp.await(email, index + 1, Duration.ofSeconds(30)).get(index));
    }

    private String signedInAs(Page page) {
        page.navigate(url("/welcome"));
        return page.url().endsWith("/welcome") ? page.locator("[data-testid=email]").textContent() : null;
    }

    @Test
    void signUpByLinkThenSignInByTypedCode() {
        String email = Api.uniqueEmail();
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            requestEmail(page, "/registration", email);
            shoot(page, "registration-check-email");
            LoginMail mail = mail(email, 0);
            assertThat(mail.link()).contains("/registration?flow=");

            page.navigate(mail.link());
            assertThat(page.locator("[data-testid=masked-address]").textContent()).isEqualTo(Api.maskedForTests(email));
            assertThat(page.url()).as("the token leaves the address bar").doesNotContain("code=");
            shoot(page, "registration-confirm");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Continue signing up")).click();
            page.waitForURL("**/welcome");
            assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
            shoot(page, "welcome");
        }
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            page.navigate(url("/login"));
            shoot(page, "login");
            requestEmail(page, "/login", email);
            shoot(page, "login-check-email");
            page.getByLabel("6-digit code").fill(mail(email, 1).code());
            page.getByLabel("6-digit code").press("Enter");
            page.waitForURL("**/welcome");
            assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
            page.locator("#logout").click();
            page.waitForURL("**/login**");
            assertThat(signedInAs(page)).isNull();
        }
    }

    /**
     * Issue 23: a German and a French browser (Chromium's own Accept-Language) get the login, "check your email" and
     * link pages, the email and the welcome page in their language, each page saying so in {@code <html lang>};
     * screenshots of each, light and dark. The switcher's choice outlasts the page it was made on.
     */
    @Test
    void germanAndFrenchBrowsersSignInInTheirLanguage() {
        Map<String, List<String>> expected = Map.of(
                "de", List.of("Anmelden", "Prüfen Sie Ihre E-Mails", "Ihr Anmeldelink", "Anmeldung fortsetzen",
                        "Sie sind angemeldet"),
                "fr", List.of("Connexion", "Consultez vos e-mails", "Votre lien de connexion",
                        "Continuer la connexion", "Vous êtes connecté"));
        for (String language : List.of("de", "fr")) {
            List<String> words = expected.get(language);
            String email = Api.uniqueEmail();
            app.api().createIdentity(email);
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setViewportSize(1280, 800).setLocale(language))) {
                Page page = context.newPage();
                page.navigate(url("/login"));
                assertThat(page.locator("html").getAttribute("lang")).isEqualTo(language);
                assertThat(page.locator("h1").textContent()).isEqualTo(words.get(0));
                shoot(page, "login-" + language);
                page.locator("#email").fill(email);
                page.locator("#email").press("Enter");
                page.waitForSelector("[data-testid=address]");
                assertThat(page.locator("h1").textContent()).isEqualTo(words.get(1));
                shoot(page, "login-check-email-" + language);

                LoginMail mail = mail(email, 0);
                assertThat(mail.subject()).isEqualTo(words.get(2));
                page.navigate(mail.link());
                assertThat(page.locator("html").getAttribute("lang")).isEqualTo(language);
                assertThat(page.locator("[data-testid=masked-address]").textContent())
                        .isEqualTo(Api.maskedForTests(email));
                shoot(page, "login-confirm-" + language);
                page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName(words.get(3))).click();
                page.waitForURL("**/welcome");
                assertThat(page.locator("h1").textContent()).isEqualTo(words.get(4));
                assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
            }
        }
        // The API, for a client that asks (here too in the native executable: message parameters by name).
        var german = app.api().request().header("Accept-Language", "de").get("/self-service/login/api");
        assertThat(german.<List<String>>path("ui.nodes.meta.label.text")).contains("Anmeldecode senden");
        var missing = app.api().request().header("Accept-Language", "de")
                .contentType(io.restassured.http.ContentType.JSON).queryParam("flow", german.<String>path("id"))
                .body(Map.of("identifier", Api.uniqueEmail())).post("/self-service/login");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body().asString()).contains("4000002").contains("Das Feld method fehlt.");
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale("en-US"))) {
            Page page = context.newPage();
            page.navigate(url("/login"));
            assertThat(page.locator("h1").textContent()).isEqualTo("Sign in");
            page.locator("#languages").getByText("Français").click();
            page.waitForSelector("html[lang=fr]");
            page.navigate(url("/registration"));
            assertThat(page.locator("html").getAttribute("lang")).as("the choice persists").isEqualTo("fr");
            assertThat(page.locator("h1").textContent()).isEqualTo("Créer votre compte");
        }
    }

    @Test
    void linkOnThePhoneSignsInThePhoneCodeOnTheDesktopSignsInTheDesktop() {
        String email = Api.uniqueEmail();
        app.api().createIdentity(email);
        try (BrowserContext desktop = newDevice(); BrowserContext phone = browser.newContext(
                new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true))) {
            Page desk = desktop.newPage();
            requestEmail(desk, "/login", email);
            LoginMail first = mail(email, 0);

            Page mobile = phone.newPage();
            mobile.navigate(first.link());
            assertThat(mobile.content()).doesNotContain(email);
            mobile.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Continue signing in")).click();
            mobile.waitForURL("**/welcome");
            assertThat(signedInAs(mobile)).isEqualTo(email);
            assertThat(signedInAs(desk)).as("the desktop is not signed in by the phone's click").isNull();

            requestEmail(desk, "/login", email);
            desk.getByLabel("6-digit code").fill(mail(email, 1).code());
            desk.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Continue")).click();
            desk.waitForURL("**/welcome");
            assertThat(signedInAs(desk)).isEqualTo(email);
            assertThat(signedInAs(mobile)).isEqualTo(email);
        }
    }

    @Test
    void aCodeTypedInAnotherBrowserDoesNotWork() {
        String email = Api.uniqueEmail();
        app.api().createIdentity(email);
        try (BrowserContext owner = newDevice(); BrowserContext stranger = newDevice()) {
            Page page = owner.newPage();
            requestEmail(page, "/login", email);
            String flowUrl = page.url();
            LoginMail mail = mail(email, 0);
            Page other = stranger.newPage();
            other.navigate(flowUrl);
            assertThat(other.content()).doesNotContain(email);
            other.evaluate("email => document.querySelector('#code-form input[name=identifier]').value = email", email);
            other.getByLabel("6-digit code").fill(mail.code());
            other.getByLabel("6-digit code").press("Enter");
            other.waitForSelector("[data-message-id='4010008']");
            page.getByLabel("6-digit code").fill(mail.code());
            page.getByLabel("6-digit code").press("Enter");
            page.waitForURL("**/welcome");
        }
    }

    @Test
    void aMailScannersGetConsumesNothing() throws Exception {
        String email = Api.uniqueEmail();
        app.api().createIdentity(email);
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            requestEmail(page, "/login", email);
            LoginMail mail = mail(email, 0);

            HttpResponse<String> scanned = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(mail.link())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scanned.statusCode()).isEqualTo(200);
            assertThat(scanned.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(scanned.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(scanned.headers().firstValue("X-Robots-Tag")).hasValueSatisfying(v -> assertThat(v).contains("noindex"));
            assertThat(scanned.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
            assertThat(scanned.body()).doesNotContain(email);

            page.navigate(mail.link());
            shoot(page, "login-confirm");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Continue signing in")).click();
            page.waitForURL("**/welcome");
            assertThat(signedInAs(page)).isEqualTo(email);
        }
    }

    @Test
    void crossSiteFormPostsAndForeignReturnUrlsAreRefused() {
        String email = Api.uniqueEmail();
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            page.navigate(url("/login"));
            String flow = page.url().replaceAll(".*flow=", "");
            String action = url("/self-service/login?flow=" + flow);

            page.setContent("<form id=f method=post action='" + action + "'>"
                    + "<input name=method value=code><input name=identifier value='" + email + "'>"
                    + "<input name=csrf_token value=forged></form>");
            com.microsoft.playwright.Response crossSite = page.waitForNavigation(() ->
                    page.evaluate("document.getElementById('f').submit()"));
            // refused, and the browser lands on the error page (as Kratos sends it), never on raw JSON
            assertThat(crossSite.url()).contains("/error?id=");
            assertThat(page.locator("[data-error-id]").getAttribute("data-error-id"))
                    .isEqualTo("security_csrf_violation");

            APIResponse missing = context.request().post(action, RequestOptions.create()
                    .setForm(FormData.create().set("method", "code").set("identifier", email)));
            assertThat(missing.url()).contains("/error?id=");
            assertThat(missing.text()).contains("data-error-id=\"security_csrf_violation\"");
            APIResponse wrong = context.request().post(action, RequestOptions.create()
                    .setForm(FormData.create().set("method", "code").set("identifier", email)
                            .set("csrf_token", "wrong")));
            assertThat(wrong.text()).contains("data-error-id=\"security_csrf_violation\"");
            assertThat(Smtp.messagesTo(email)).isEmpty();

            APIResponse evil = context.request().get(url("/self-service/login/browser?return_to=https://evil.example"),
                    RequestOptions.create().setMaxRedirects(0));
            assertThat(evil.status()).isEqualTo(303);
            assertThat(evil.headers().get("location")).contains("/error?id=");
        }
    }

    @Test
    void resendWaitsForTheCooldownWithAVisibleCountdown() {
        String email = Api.uniqueEmail();
        app.api().createIdentity(email);
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            requestEmail(page, "/login", email);
            assertThat(page.locator("#resend").isDisabled()).isTrue();
            assertThat(page.locator("#resend-status").textContent()).containsPattern("resend in \\d+ s");

            page.evaluate("document.getElementById('resend').disabled = false");
            page.locator("#resend").click();
            page.waitForSelector("[data-message-id='4000001']");
            assertThat(page.locator("#messages").textContent()).contains("Please wait");
            assertThat(Smtp.messagesTo(email)).hasSize(1);

            page.waitForCondition(() -> page.locator("#resend").isEnabled(),
                    new Page.WaitForConditionOptions().setTimeout((COOLDOWN_SECONDS + 5) * 1000.0));
            page.locator("#resend").click();
            page.waitForSelector("text=Check your email");
            mail(email, 1);
        }
    }

    @Test
    void errorPageForAnUnknownFlow() {
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            page.navigate(url("/login?flow=" + java.util.UUID.randomUUID()));
            assertThat(page.locator("[data-error-id]").getAttribute("data-error-id")).isEqualTo("not_found");
            shoot(page, "error");
            page.navigate(url("/registration"));
            shoot(page, "registration");
        }
    }

    @Test
    void enrolTotpAndBackupCodesThenALinkLoginAsksForTheAuthenticator() {
        String email = Api.uniqueEmail();
        String secret;
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            requestEmail(page, "/registration", email);
            page.getByLabel("6-digit code").fill(mail(email, 0).code());
            page.getByLabel("6-digit code").press("Enter");
            page.waitForURL("**/welcome");

            page.locator("#settings").click();
            page.waitForSelector("[data-testid=totp-secret]");
            shoot(page, "settings");
            secret = page.locator("[data-testid=totp-secret]").textContent().strip();
            assertThat(page.locator("[data-testid=totp-qr]").getAttribute("src")).startsWith("data:image/svg+xml");
            page.getByLabel("Code from the app").fill(totp(secret, 0));
            page.getByLabel("Code from the app").press("Enter");
            page.waitForSelector("[data-testid=totp-status]");

            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Generate new backup codes")).click();
            page.waitForSelector("[data-testid=backup-codes]");
            assertThat(page.locator("[data-testid=backup-codes] code").count()).isEqualTo(12);
            shoot(page, "settings-backup-codes");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("I saved them — turn them on")).click();
            page.waitForSelector("text=Backup codes are turned on.");
            shoot(page, "settings-enrolled");

            page.navigate(url("/welcome"));
            page.locator("#logout").click();
            page.waitForURL("**/login**");
        }
        try (BrowserContext context = newDevice()) {
            Page page = context.newPage();
            requestEmail(page, "/login", email);
            page.navigate(mail(email, 1).link());
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Continue signing in")).click();
            page.waitForSelector("text=Two-step verification");
            shoot(page, "second-factor");
            assertThat(signedInAs(page)).as("the link alone is not enough").isNull();

            page.navigate(url("/self-service/login/browser?aal=aal2"));
            page.waitForSelector("text=Two-step verification");
            page.getByLabel("Authentication code").fill(totp(secret, 1)); // a step later: the enrolment code is spent
            page.getByLabel("Authentication code").press("Enter");
            page.waitForURL("**/welcome");
            assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
        }
    }

    /** The authenticator app's code, {@code stepsAhead} 30-second steps from now (the server allows one). */
    private static String totp(String base32Secret, int stepsAhead) {
        long step = dev.iris.method.totp.Totp.step(java.time.Instant.now()) + stepsAhead;
        return dev.iris.method.totp.Totp.code(dev.iris.method.totp.Totp.fromBase32(base32Secret), step);
    }

    private void shoot(Page page, String name) {
        HeadlessChromium.shoot(page, SHOTS, name);
    }
}
