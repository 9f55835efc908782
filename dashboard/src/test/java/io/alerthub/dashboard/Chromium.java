package io.alerthub.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}), driven by Selenium through
 * the system chromedriver: nothing is downloaded, and Selenium Manager is never asked to find a driver.
 */
final class Chromium {

    static final Path BROWSER = Path.of(System.getProperty("alerthub.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("alerthub.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Why a browser cannot be started on this machine; empty when it can. */
    static Optional<String> missing() {
        for (Path p : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(p)) {
                return Optional.of("browser test did not run: " + p + " not found; install Debian packages chromium"
                                           + " and chromium-driver (.ci/run does)");
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a headless browser with a fresh profile in {@code profile}.
     *
     * <p>Its HTTP cache is all but off (one byte): a page opened twice is fetched twice, as the first visit of
     * each user would fetch it, so what a test sees never depends on cache freshness heuristics.
     */
    static ChromeDriver start(Path profile, int width, int height) {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                             "--disk-cache-size=1",
                             // a tab in the background keeps its timers: the second tab's view must stay live
                             "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                             "--disable-backgrounding-occluded-windows");
        // the console (CSP violations are reported there), for DashboardBrowserTest
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
