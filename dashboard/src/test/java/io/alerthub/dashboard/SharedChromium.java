package io.alerthub.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One headless Chromium for a whole test class (it is slow to start on two shared cores), with a profile of its
 * own: started before the class, quit after it. Where Chromium is not installed, the class says why once and each
 * test is skipped with that reason ({@code .ci/run} installs it).
 */
final class SharedChromium implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final int width;
    private final int height;
    private Path profile;
    private ChromeDriver driver;

    SharedChromium(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** The browser, or {@code null} where Chromium is missing (no test runs then). */
    ChromeDriver driver() {
        return driver;
    }

    /** The first element {@code css} selects on the page open in the browser (it must be there). */
    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** For waits: the first element {@code css} selects has attribute {@code name} set to {@code value}. */
    static Function<WebDriver, Boolean> attribute(String css, String name, String value) {
        return d -> {
            WebElement e = one(d, css);
            return e != null && value.equals(e.getDomAttribute(name));
        };
    }

    /** The first element {@code css} selects, or {@code null} when there is none (yet). */
    static WebElement one(WebDriver d, String css) {
        List<WebElement> found = d.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.getFirst();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<String> missing = Chromium.missing();
        if (missing.isPresent()) {
            System.out.println(missing.get());
            return;
        }
        profile = Files.createTempDirectory("alerthub-chromium");
        driver = Chromium.start(profile, width, height);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<String> missing = Chromium.missing();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            profile = null;
        }
    }
}
