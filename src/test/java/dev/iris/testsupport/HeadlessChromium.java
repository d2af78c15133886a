package dev.iris.testsupport;

import com.microsoft.playwright.options.ColorScheme;

import com.microsoft.playwright.Page;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** The machine's Chromium ({@code /usr/bin/chromium}, installed by {@code .ci/run}), headless, through Playwright. */
public final class HeadlessChromium implements AutoCloseable {

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static HeadlessChromium launch() {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-quic", "--no-first-run")));
        return new HeadlessChromium(playwright, browser);
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** Light and dark, phone (390 px) and desktop (1280 px) width, full page: {@code <name>-<scheme>-<width>.png}. */
    public static void shoot(Page page, java.nio.file.Path directory, String name) {
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            for (int width : List.of(390, 1280)) {
                page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
                page.setViewportSize(width, width == 390 ? 844 : 800);
                page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(directory.resolve(
                        name + "-" + scheme.name().toLowerCase() + "-" + width + ".png")));
            }
        }
        page.setViewportSize(1280, 800);
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    }
}
