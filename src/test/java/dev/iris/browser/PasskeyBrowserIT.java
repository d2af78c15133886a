package dev.iris.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.iris.testsupport.Api;
import dev.iris.testsupport.LoginMail;
import dev.iris.testsupport.HeadlessChromium;
import dev.iris.testsupport.PackagedApp;
import dev.iris.testsupport.Smtp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys in real Chromium with a CDP virtual authenticator (ctap2, internal, resident keys, user verification), on
 * Iris's own pages, through Iris's {@code /.well-known/ory/webauthn.js}: sign up by email → add a passkey in settings →
 * sign out → signed in again by autofill, then by "Sign in with a passkey", at AAL2 with no email sent → remove it →
 * it no longer signs in. And a security key (a virtual USB authenticator without user verification) as the second
 * factor: added in settings, then asked for after a sign-in by the emailed link, raising the session to AAL2.
 * Sign-up with a passkey: made at once, counted once the emailed code proves the address.
 * Screenshots of each page, light and dark, 390 and 1280 px wide, go to {@code target/screenshots}.
 * Iris runs as {@code http://localhost:<port>} (WebAuthn needs a host name, not an IP address).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyBrowserIT {

    private static final Path SHOTS = Paths.get("target", "screenshots");

    private PackagedApp app;
    private HeadlessChromium chromium;
    private Browser browser;

    @BeforeAll
    void start() {
        app = PackagedApp.start("passkey-browser", Map.of(
                "iris.public-url", "http://localhost:{port}",
                "iris.ratelimit.send-per-ip", "200/5m"));
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

    private String url(String path) {
        return app.baseUrl().replace("127.0.0.1", "localhost") + path;
    }

    @Test
    void addAPasskeyThenSignInWithItAtAal2ThenRemoveIt() {
        String email = Api.uniqueEmail();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = context.newPage();
            authenticator(context, page, "internal", true);
            signUp(page, email);

            // The welcome page offers a passkey (browsers do not after an email sign-in); it leads to settings.
            shoot(page, "passkey-offer");
            page.locator("#add-passkey-offer").click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add a passkey")).click();
            page.waitForSelector("[data-testid=passkey]");
            shoot(page, "passkey-settings");
            page.navigate(url("/welcome"));
            assertThat(page.locator("[data-testid=passkey-offer]").count()).as("offered only while none").isZero();

            // Sign out: the login page's email field offers the passkey (autofill, conditional mediation) — the
            // virtual authenticator answers at once, so the browser is signed in again without a click or an email.
            page.navigate(url("/welcome"));
            page.locator("#logout").click();
            page.waitForURL("**/welcome");
            assertSignedInByPasskey(context, page, email);

            // The button: with autofill unavailable (as in browsers without conditional mediation).
            page.addInitScript("PublicKeyCredential.isConditionalMediationAvailable = async () => false;");
            page.locator("#logout").click();
            page.waitForURL("**/login?flow=**");
            page.waitForSelector("#passkey-button:not([hidden])");
            shoot(page, "passkey-login");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with a passkey")).click();
            page.waitForURL("**/welcome");
            assertSignedInByPasskey(context, page, email);

            // Remove it: it no longer signs in.
            page.locator("#settings").click();
            page.locator("summary", new Page.LocatorOptions().setHasText("Remove Passkey 1")).click();
            shoot(page, "passkey-remove-confirm");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes, remove Passkey 1")).click();
            page.waitForSelector("text=Your changes have been saved!");
            assertThat(page.locator("[data-testid=passkey]").count()).isZero();
            page.navigate(url("/welcome"));
            page.locator("#logout").click();
            page.waitForURL("**/login?flow=**");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with a passkey")).click();
            page.waitForSelector("[role=alert]");
            assertThat(page.url()).contains("/login");
            assertThat(page.locator("[role=alert]").textContent()).contains("no security key");
        }
    }

    @Test
    void aSecurityKeyIsAskedForAfterALinkSignInAndRaisesTheSessionToAal2() {
        String email = Api.uniqueEmail();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = context.newPage();
            authenticator(context, page, "usb", false);
            signUp(page, email);

            page.navigate(url("/settings"));
            page.getByLabel("Name of the security key").fill("Desk key");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add security key")).click();
            page.waitForSelector("[data-testid=security-key]");
            assertThat(page.locator("[data-testid=security-key]").textContent()).isEqualTo("Desk key");
            shoot(page, "security-key-settings");

            page.navigate(url("/welcome"));
            page.locator("#logout").click();
            page.waitForURL("**/login?flow=**");
            page.getByLabel("Email").fill(email);
            page.getByLabel("Email").press("Enter");
            page.waitForSelector("text=Check your email");
            page.navigate(mail(email, 1).link());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue signing in")).click();
            page.waitForSelector("#security-key-button:not([hidden])");
            shoot(page, "security-key-second-factor");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Use your security key")).click();
            page.waitForURL("**/welcome");
            assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
            String token = context.cookies().stream().filter(c -> c.name.equals("iris_session")).findFirst()
                    .orElseThrow().value;
            app.api().whoami(token).then().statusCode(200)
                    .body("authenticator_assurance_level", org.hamcrest.Matchers.equalTo("aal2"))
                    .body("authentication_methods[1].method", org.hamcrest.Matchers.equalTo("webauthn"));
        }
    }

    @Test
    void signUpWithAPasskeyThatCountsOnceTheCodeProvesTheAddress() {
        String email = Api.uniqueEmail();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            Page page = context.newPage();
            authenticator(context, page, "internal", true);
            page.navigate(url("/registration"));
            page.waitForSelector("#passkey-signup:not([hidden])");
            shoot(page, "passkey-signup");
            page.getByLabel("Email").fill(email);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign up with a passkey")).click();
            page.waitForSelector("[data-testid=passkey-kept]");
            shoot(page, "passkey-signup-check-email");
            page.getByLabel("6-digit code").fill(mail(email, 0).code());
            page.getByLabel("6-digit code").press("Enter");
            page.waitForURL("**/welcome");
            assertThat(page.locator("[data-testid=passkey-offer]").count()).as("it has one already").isZero();

            page.locator("#logout").click();
            page.waitForURL("**/welcome");
            assertSignedInByPasskey(context, page, email);
        }
    }

    /** A CDP virtual authenticator: a platform passkey ({@code internal}, resident keys, user verification) or a USB key. */
    private static void authenticator(BrowserContext context, Page page, String transport, boolean passkey) {
        CDPSession cdp = context.newCDPSession(page);
        cdp.send("WebAuthn.enable");
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("transport", transport);
        options.addProperty("hasResidentKey", passkey);
        options.addProperty("hasUserVerification", passkey);
        options.addProperty("isUserVerified", passkey);
        JsonObject args = new JsonObject();
        args.add("options", options);
        cdp.send("WebAuthn.addVirtualAuthenticator", args);
    }

    /** Signs up by email with the emailed code; ends on the welcome page. */
    private void signUp(Page page, String email) {
        page.navigate(url("/registration"));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Email").press("Enter");
        page.waitForSelector("text=Check your email");
        page.getByLabel("6-digit code").fill(mail(email, 0).code());
        page.getByLabel("6-digit code").press("Enter");
        page.waitForURL("**/welcome");
    }

    /** On the welcome page as {@code email}, with an AAL2 passkey session, and no sign-in email sent. */
    private void assertSignedInByPasskey(BrowserContext context, Page page, String email) {
        assertThat(page.locator("[data-testid=email]").textContent()).isEqualTo(email);
        assertThat(Smtp.messagesTo(email)).hasSize(1); // only the sign-up email
        String token = context.cookies().stream().filter(c -> c.name.equals("iris_session")).findFirst()
                .orElseThrow().value;
        app.api().whoami(token).then().statusCode(200)
                .body("authenticator_assurance_level", org.hamcrest.Matchers.equalTo("aal2"))
                .body("authentication_methods[0].method", org.hamcrest.Matchers.equalTo("passkey"));
    }

    private LoginMail mail(String email, int index) {
        return LoginMail.parse(Smtp.await(email, index + 1, Duration.ofSeconds(30)).get(index));
    }

    private void shoot(Page page, String name) {
        HeadlessChromium.shoot(page, SHOTS, name);
    }
}
