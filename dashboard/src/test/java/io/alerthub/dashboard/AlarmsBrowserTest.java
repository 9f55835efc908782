package io.alerthub.dashboard;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.alerthub.core.testing.HubClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static io.alerthub.dashboard.SharedChromium.attribute;
import static io.alerthub.dashboard.SharedChromium.one;
import static io.alerthub.dashboard.SpcEvents.onTopic;
import static io.alerthub.dashboard.SpcEvents.violation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Alarms and Silences views in a real browser() against a real hub: alarms listed and filtered, acknowledged and
 * cleared from the page, changes made elsewhere shown live (alarm_update), a line silenced for an hour, its new
 * alarms marked silenced, the silence expired.
 */
class AlarmsBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @RegisterExtension
    static final SharedChromium CHROMIUM = new SharedChromium(1400, 1000);

    @TempDir
    Path dataDir;
    private RunningHub hub;

    private static ChromeDriver browser() {
        return CHROMIUM.driver();
    }

    @AfterEach
    void stopHub() {
        if (browser() != null) {
            browser().get("about:blank");
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void alarmsAreAcknowledgedClearedAndSilencedFromThePageAndFollowedLive() {
        hub = RunningHub.start(dataDir, 0, "", "");
        hub.publish(onTopic(violation(1, 501, 1, 1, "One point beyond 3 sigma", "CRITICAL", 14.2, "Bore"), "line:7"),
                    onTopic(violation(2, 502, 2, 5, "Nine points in a row", "WARNING", 12.1, "Width"), "line:8"));

        browser().get(hub.uri("/#alarms").toString());
        waitFor("the alarms view, loaded", attribute("#alarms", "data-loaded", "true"));
        waitFor("both alarms", d -> rows(d).size() == 2);
        assertEquals(List.of("502", "501"), ids(), "newest first");
        assertEquals("2 active", CHROMIUM.find("#alarms-active").getText());
        assertEquals("ACTIVE", data("501", "data-state"));
        assertEquals("false", data("501", "data-acknowledged"));
        assertTrue(text("501").contains("One point beyond 3 sigma"), text("501"));

        // Acknowledge from the page: the row changes when the hub's alarm_update arrives.
        click("501", "ack");
        waitFor("the acknowledge dialog", d -> one(d, "#ack-dialog[open]"));
        CHROMIUM.find("#ack-user").clear();
        CHROMIUM.find("#ack-user").sendKeys("operator1");
        CHROMIUM.find("#ack-reason").sendKeys("Tool adjusted");
        CHROMIUM.find("#ack-submit").click();
        waitFor("501 acknowledged", attribute("#alarms li[data-violation-id='501']", "data-acknowledged", "true"));
        assertTrue(text("501").contains("Acknowledged by operator1: Tool adjusted"), text("501"));

        // Filter: only what nobody acknowledged.
        new Select(CHROMIUM.find("#alarms-acknowledged")).selectByValue("false");
        waitFor("only 502", d -> ids().equals(List.of("502")));

        // Clear from the page: CLEARED leaves the active list and is there under "All".
        click("502", "clear");
        waitFor("the clear dialog", d -> one(d, "#clear-dialog[open]"));
        assertEquals("operator1", CHROMIUM.find("#clear-user").getDomProperty("value"), "the name is remembered");
        CHROMIUM.find("#clear-reason").sendKeys("Gauge recalibrated");
        CHROMIUM.find("#clear-submit").click();
        waitFor("502 gone from the active ones", d -> rows(d).isEmpty());
        new Select(CHROMIUM.find("#alarms-state")).selectByValue("all");
        new Select(CHROMIUM.find("#alarms-acknowledged")).selectByValue("any");
        waitFor("502 cleared", attribute("#alarms li[data-violation-id='502']", "data-state", "CLEARED"));
        assertEquals("1 active", CHROMIUM.find("#alarms-active").getText());

        // A change made elsewhere (an ack over HTTP) shows live.
        HttpResponse<String> ack = hub.send("POST", "/api/v1/violations/502/ack", "{\"user\":\"night-shift\"}", null);
        assertEquals(202, ack.statusCode(), ack.body());
        waitFor("502 acknowledged live", attribute("#alarms li[data-violation-id='502']", "data-acknowledged",
                                                   "true"));

        // Silence line 8 for an hour.
        CHROMIUM.find("#tab-silences").click();
        waitFor("the silences view", attribute("#silences", "data-loaded", "true"));
        new Select(CHROMIUM.find("#silence-kind")).selectByValue("line");
        CHROMIUM.find("#silence-value").sendKeys("8");
        new Select(CHROMIUM.find("#silence-duration")).selectByValue("PT1H");
        CHROMIUM.find("#silence-comment").sendKeys("Line 8 retooling");
        CHROMIUM.find("#silence-submit").click();
        waitFor("the silence listed", d -> one(d, "#silences li[data-state='active']"));
        WebElement silence = CHROMIUM.find("#silences li[data-state='active']");
        assertTrue(silence.getText().contains("topic line:8"), silence.getText());
        assertTrue(silence.getText().contains("by operator1"), silence.getText());
        String silenceId = silence.getDomAttribute("data-silence-id");
        JsonNode stored = hub.get("/api/v1/silences/" + silenceId, null);
        assertEquals("line:8", stored.get("matchers").get("topic").asText());
        assertEquals("Line 8 retooling", stored.get("comment").asText());

        // A violation on line 8 now: accepted and shown, marked silenced.
        hub.publish(onTopic(violation(2, 503, 3, 5, "Nine points in a row", "CRITICAL", 12.3, "Width"), "line:8"));
        CHROMIUM.find("#tab-alarms").click();
        waitFor("503 shown live, silenced", attribute("#alarms li[data-violation-id='503']", "data-silenced", "true"));
        assertTrue(text("503").contains("silenced"), text("503"));
        assertEquals("false", data("501", "data-silenced"));

        // Expire it; the next violation on line 8 is not silenced.
        CHROMIUM.find("#tab-silences").click();
        waitFor("the silence again", d -> one(d, "#silences li[data-silence-id='" + silenceId + "']"));
        CHROMIUM.find("#silences li[data-silence-id='" + silenceId + "'] button[data-action='expire']").click();
        waitFor("expired", attribute("#silences li[data-silence-id='" + silenceId + "']", "data-state", "expired"));
        hub.publish(onTopic(violation(2, 504, 4, 5, "Nine points in a row", "CRITICAL", 12.4, "Width"), "line:8"));
        CHROMIUM.find("#tab-alarms").click();
        waitFor("504 not silenced", attribute("#alarms li[data-violation-id='504']", "data-silenced", "false"));
        assertEquals(0L, browser().executeScript("return document.querySelectorAll('#alarms b, #alarms img').length"));
    }

    private static List<WebElement> rows(WebDriver d) {
        return d.findElements(By.cssSelector("#alarms li"));
    }

    /** The alarms listed, read at once (the list is drawn again on every update: elements do not last). */
    @SuppressWarnings("unchecked")
    private static List<String> ids() {
        return (List<String>) browser().executeScript(
                "return [...document.querySelectorAll('#alarms li')].map(e => e.dataset.violationId)");
    }

    /** What a row says, and one of its data attributes, read at once. */
    private static String text(String id) {
        return (String) browser().executeScript("return document.querySelector(arguments[0]).innerText",
                                              "#alarms li[data-violation-id='" + id + "']");
    }

    private static String data(String id, String name) {
        return (String) browser().executeScript("return document.querySelector(arguments[0]).getAttribute(arguments[1])",
                                              "#alarms li[data-violation-id='" + id + "']", name);
    }

    private static void click(String id, String action) {
        waitFor(action + " on " + id, d -> {
            one(d, "#alarms li[data-violation-id='" + id + "'] button[data-action='" + action + "']").click();
            return true;
        });
    }

    private static <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser(), PATIENCE, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(NullPointerException.class)
                .withMessage(() -> what + "; alarms: " + browser().executeScript(
                        "return [...document.querySelectorAll('#alarms li')].map(e => e.dataset.violationId + ':'"
                                + " + e.dataset.state + ':' + e.dataset.acknowledged + ':' + e.dataset.silenced)"
                                + " + ' notice=' + document.getElementById('notice').innerText"
                                + " + ' silence_error=' + document.getElementById('silence-error').innerText"))
                .until(condition);
    }

    static JsonNode json(String text) {
        return HubClient.json(text);
    }
}
