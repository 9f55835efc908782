package io.alerthub.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Takes docs/dashboard.png from a running page: {@code Screenshot URL OUTPUT [VIOLATIONS]} waits until the page is
 * live, every chart has its limits and at least VIOLATIONS (default 4) violations are listed, then saves a PNG.
 * Run it against {@code alerthub demo} (docs/dashboard.md says how).
 */
public final class Screenshot {

    private Screenshot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Screenshot URL OUTPUT.png [VIOLATIONS]");
            System.exit(2);
        }
        Chromium.missing().ifPresent(why -> {
            System.err.println(why);
            System.exit(1);
        });
        int violations = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path profile = Files.createTempDirectory("alerthub-screenshot");
        ChromeDriver browser = Chromium.start(profile, 1440, 1400);
        try {
            browser.get(args[0]);
            new WebDriverWait(browser, Duration.ofMinutes(3), Duration.ofMillis(250))
                    .withMessage("a live page with limits on every chart and " + violations + " violations")
                    .until(d -> d.findElement(By.id("connection")).getDomAttribute("data-state").equals("live")
                            && !d.findElements(By.cssSelector(".chart-card")).isEmpty()
                            && d.findElements(By.cssSelector(".chart-card[data-ucl='']")).isEmpty()
                            && d.findElements(By.cssSelector("#violations li")).size() >= violations);
            Path out = Path.of(args[1]);
            Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
            System.out.println("saved " + out.toAbsolutePath());
        } finally {
            browser.quit();
        }
    }
}
