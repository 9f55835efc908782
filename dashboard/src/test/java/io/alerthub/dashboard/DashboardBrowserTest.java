package io.alerthub.dashboard;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import static io.alerthub.dashboard.SharedChromium.attribute;
import static io.alerthub.dashboard.SharedChromium.one;
import static io.alerthub.dashboard.SpcEvents.limits;
import static io.alerthub.dashboard.SpcEvents.onTopic;
import static io.alerthub.dashboard.SpcEvents.sample;
import static io.alerthub.dashboard.SpcEvents.tripped;
import static io.alerthub.dashboard.SpcEvents.violation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser() against a real hub: events published over HTTP appear on the charts and in the
 * violations panel, an acknowledgement made in one tab shows in another, and a dropped connection resumes.
 */
class DashboardBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String SUBSCRIBE_TOKEN = "dashboard-token-0123456789";
    private static final String PUBLISH_TOKEN = "publisher-token-0123456789";

    @RegisterExtension
    static final SharedChromium CHROMIUM = new SharedChromium(1400, 1000);

    @TempDir
    Path dataDir;
    private RunningHub hub;

    private static ChromeDriver browser() {
        return CHROMIUM.driver();
    }

    @AfterEach
    void cleanUp() {
        if (browser() == null) {
            return;
        }
        List<String> windows = new ArrayList<>(browser().getWindowHandles());
        for (String w : windows.subList(1, windows.size())) {
            browser().switchTo().window(w).close();
        }
        browser().switchTo().window(windows.getFirst()).get("about:blank");
        if (hub != null) {
            hub.close();
        }
    }

    /**
     * The hub sends {@code Content-Security-Policy} (scripts and styles from the hub only, no inline script); the
     * dashboard and the browsable API view must run under it without one violation in Chromium's console.
     */
    @Test
    void theDashboardAndTheApiViewRunUnderTheContentSecurityPolicy() {
        hub = RunningHub.start(dataDir, 0, "", "");
        hub.publish(null, List.of(limits(1, 10, 13, 7), sample(1, 1, 10.2)));
        browser().manage().logs().get(LogType.BROWSER);
        browser().get(hub.uri("/?characteristic_ids=1").toString());
        waitFor("live", state("live"));
        waitFor("the point on chart 1", attribute("#chart-1", "data-points", "1"));
        assertEquals(1, browser().findElements(By.cssSelector("#chart-1 canvas")).size(), "uPlot drew chart 1");
        WebElement api = CHROMIUM.find("#api-docs");
        browser().get(api.getDomProperty("href"));
        WebElement title = waitFor("the API view shows the description", d -> one(d, ".swagger-ui .info .title"));
        assertTrue(title.getText().contains("AlertHub HTTP API"), title.getText());
        waitFor("the operations are listed", d -> one(d, "#operations-default-publish"));
        List<String> violations = new ArrayList<>();
        for (LogEntry e : browser().manage().logs().get(LogType.BROWSER)) {
            if (e.getMessage().contains("Content Security Policy") || e.getMessage().contains("Refused to")) {
                violations.add(e.getMessage());
            }
        }
        assertEquals(List.of(), violations, "CSP violations in the console");
    }

    @Test
    void chartsViolationsAcknowledgementAcrossTabsResumeAndPicker() {
        hub = RunningHub.start(dataDir, 0, "", "");
        List<String> before = new ArrayList<>();
        before.add(limits(1, 10, 13, 7));
        for (int i = 1; i <= 20; i++) {
            before.add(sample(1, i, 10 + (i % 5 - 2) * 0.3));
        }
        for (int i = 101; i <= 105; i++) {
            before.add(sample(2, i, 50 + i % 3));
        }
        hub.publish(null, before);

        // A link with the selection opens that view; the charts fill from the hub's history.
        browser().get(hub.uri("/?characteristic_ids=1,2").toString());
        String tabA = browser().getWindowHandle();
        waitFor("live", state("live"));
        waitFor("20 points of history on chart 1", attribute("#chart-1", "data-points", "20"));
        waitFor("5 points on chart 2", attribute("#chart-2", "data-points", "5"));
        assertEquals("13", CHROMIUM.find("#chart-1").getDomAttribute("data-ucl"));
        assertEquals("1,2", CHROMIUM.find("#picker-characteristics").getDomProperty("value"));
        assertEquals(1, browser().findElements(By.cssSelector("#chart-1 canvas")).size(), "uPlot drew chart 1");

        // Live: points, a violating point, its violation, new limits.
        hub.publish(sample(1, 21, 10.1), sample(1, 22, 14.2, tripped(9001, 1, "CRITICAL")),
                    violation(1, 9001, 22, 1, "One point beyond 3 sigma", "CRITICAL", 14.2, "Char 1"),
                    limits(1, 10.5, 13.5, 7.5));
        waitFor("22 points", attribute("#chart-1", "data-points", "22"));
        waitFor("the violating point marked", attribute("#chart-1", "data-violation-points", "1"));
        waitFor("limits updated live", attribute("#chart-1", "data-center-line", "10.5"));
        WebElement row = waitFor("the violation row", d -> one(d, "#violations li[data-violation-id='9001']"));
        assertEquals("CRITICAL", row.getDomAttribute("data-severity"));
        assertTrue(row.getText().contains("Rule 1 · One point beyond 3 sigma"), row.getText());
        assertEquals("1 open", CHROMIUM.find("#violations-open").getText());

        // Producer text is shown as text, never as markup.
        hub.publish(sample(1, 23, 12.5, tripped(9002, 5, "WARNING")),
                    violation(1, 9002, 23, 5, "<img src=x onerror=window.__xss=1>", "WARNING", 12.5,
                              "<b>bold</b>"));
        WebElement hostile = waitFor("the second violation", d -> one(d, "#violations li[data-violation-id='9002']"));
        assertTrue(hostile.getText().contains("<img src=x onerror=window.__xss=1>"), hostile.getText());
        assertTrue(hostile.getText().contains("<b>bold</b>"), hostile.getText());
        assertEquals(0L, browser().executeScript("return document.querySelectorAll('main img, main b').length"));
        assertNull(browser().executeScript("return window.__xss"));
        assertEquals("9002", CHROMIUM.find("#violations li").getDomAttribute("data-violation-id"), "newest first");

        // A second tab (the same link) sees the violation from the history, not yet acknowledged.
        browser().switchTo().newWindow(WindowType.TAB);
        browser().get(hub.uri("/?characteristic_ids=1,2").toString());
        String tabB = browser().getWindowHandle();
        waitFor("tab B live", state("live"));
        waitFor("tab B has the violation", attribute("#violations li[data-violation-id='9001']", "data-acknowledged",
                                                     "false"));
        waitFor("tab B has 23 points", attribute("#chart-1", "data-points", "23"));

        // Acknowledge in tab A ...
        browser().switchTo().window(tabA);
        CHROMIUM.find("#violations li[data-violation-id='9001'] button[data-action='ack']").click();
        waitFor("the acknowledge dialog", d -> one(d, "#ack-dialog[open]"));
        CHROMIUM.find("#ack-user").clear();
        CHROMIUM.find("#ack-user").sendKeys("operator1");
        CHROMIUM.find("#ack-reason").sendKeys("Process adjusted");
        CHROMIUM.find("#ack-submit").click();
        waitFor("tab A shows the ack", attribute("#violations li[data-violation-id='9001']", "data-acknowledged",
                                                 "true"));
        assertTrue(browser().findElements(By.cssSelector("#ack-dialog[open]")).isEmpty(), "the dialog closed");

        // ... and tab B gets the ack_update at once.
        browser().switchTo().window(tabB);
        waitFor("tab B shows the ack", attribute("#violations li[data-violation-id='9001']", "data-acknowledged",
                                                 "true"));
        String ackLine = CHROMIUM.find("#violations li[data-violation-id='9001'] .violation-ack").getText();
        assertEquals("Acknowledged by operator1: Process adjusted", ackLine.replaceAll(" \\(.*\\)$", ""));
        assertEquals("1 open", CHROMIUM.find("#violations-open").getText());
        var ack = hub.get("/api/v1/events?type=ack_update", null).get("events").get(0).get("payload");
        assertEquals("operator1", ack.get("ack_user").asText());
        assertEquals(1, ack.get("characteristic_id").asInt());

        // The connection drops; events published meanwhile are replayed when it resumes from its last seq.
        browser().executeScript("window.alerthubDebug.dropConnection()");
        waitFor("reconnecting", state("reconnecting"));
        hub.publish(sample(1, 24, 10.0), sample(3, 301, 5.0), sample(1, 25, 10.2), sample(1, 26, 9.9));
        browser().executeScript("window.alerthubDebug.reconnect()");
        waitFor("resumed", state("resumed"));
        waitFor("3 missed events replayed", attribute("#connection", "data-missed", "3"));
        waitFor("the replay is complete", attribute("#connection", "data-replay-complete", "true"));
        waitFor("26 points", attribute("#chart-1", "data-points", "26"));
        assertTrue(CHROMIUM.find("#connection-text").getText().contains("3 missed events replayed"),
                   CHROMIUM.find("#connection-text").getText());
        assertTrue(browser().findElements(By.id("chart-3")).isEmpty(), "characteristic 3 is not subscribed");

        // The hub itself restarts (same port, same event log): the page reconnects with backoff and resumes.
        hub.close();
        waitFor("reconnecting while the hub is away", state("reconnecting"));
        hub = hub.startAgain();
        hub.publish(sample(1, 27, 10.3));
        waitFor("27 points after the restart", attribute("#chart-1", "data-points", "27"));
        waitFor("resumed after the restart", state("resumed"));

        // The picker changes the subscription (unsubscribe 1) and the URL, so the link opens this view.
        CHROMIUM.find("#picker-characteristics").clear();
        CHROMIUM.find("#picker-characteristics").sendKeys("2");
        CHROMIUM.find("#picker-apply").click();
        waitFor("the URL holds the selection", d -> d.getCurrentUrl().endsWith("/?characteristic_ids=2"));
        waitFor("chart 1 gone", d -> d.findElements(By.id("chart-1")).isEmpty());
        waitFor("chart 2 reloaded", attribute("#chart-2", "data-points", "5"));
        waitFor("the hub confirmed the subscription", d -> CHROMIUM.find("#subscription").getDomAttribute("data-subscription")
                .matches(".*\"characteristic_ids\":\\[\"?2\"?].*"));
        hub.publish(sample(1, 28, 10.0), sample(2, 106, 51.0));
        waitFor("chart 2 live", attribute("#chart-2", "data-points", "6"));
        assertTrue(browser().findElements(By.id("chart-1")).isEmpty(), "characteristic 1 is no longer subscribed");

        // Back goes to the previous selection, history included.
        browser().navigate().back();
        waitFor("the URL is the previous one", d -> d.getCurrentUrl().endsWith("/?characteristic_ids=1,2"));
        waitFor("chart 1 back, with what was published while it was away", attribute("#chart-1", "data-points", "28"));
        waitFor("chart 2 kept its points", attribute("#chart-2", "data-points", "6"));
        assertFalse(CHROMIUM.find("#notice").isDisplayed(), "the hub refused none of the page's messages: "
                + CHROMIUM.find("#notice").getText());
    }

    /**
     * Chromium offers permessage-deflate on every WebSocket and, once it is agreed, compresses every message it sends:
     * the page's subscription reaches the hub compressed, and the events come back compressed, shared frames.
     */
    @Test
    void chromiumAndTheHubAgreeOnPermessageDeflate() {
        hub = RunningHub.start(dataDir, 0, "", "", "permessage-deflate: true");
        browser().get(hub.uri("/").toString());
        Object agreed = browser().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
                ws.onmessage = m => {
                  const msg = JSON.parse(m.data);
                  if (msg.type === 'welcome') {
                    ws.send(JSON.stringify({type: 'subscribe', characteristic_ids: [77]}));
                  } else if (msg.type === 'subscribed') {
                    fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json'},
                      body: JSON.stringify({type: 'sample', characteristic_id: 77,
                                            payload: {sample: {value: 12.5}, note: 'x'.repeat(300)}})});
                  } else if (msg.type === 'sample') {
                    done(ws.extensions + '|' + msg.payload.sample.value);
                    ws.close();
                  }
                };
                ws.onerror = () => done('error');
                """);
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover|12.5", agreed);
    }

    @Test
    void theBarePageShowsEveryCharacteristicAndTopicsSelectByLine() {
        hub = RunningHub.start(dataDir, 0, "", "");
        hub.publish(limits(1, 10, 13, 7), sample(1, 1, 10.0), sample(2, 2, 20.0),
                    onTopic(sample(5, 3, 50.0), "line:9"));
        browser().get(hub.uri("/").toString());
        waitFor("live", state("live"));
        for (String id : List.of("1", "2", "5")) {
            waitFor("chart " + id, attribute("#chart-" + id, "data-points", "1"));
        }
        assertEquals(List.of("1", "2", "5"), browser().findElements(By.cssSelector(".chart-card")).stream()
                .map(e -> e.getDomAttribute("data-characteristic-id")).toList(), "in id order");
        waitFor("the picker knows the characteristics", d -> d.findElements(By.cssSelector("#picker-known .chip"))
                .size() == 3);

        CHROMIUM.find("#picker-topics").sendKeys("line:9");
        CHROMIUM.find("#picker-apply").click();
        waitFor("the URL keeps the topic readable", d -> d.getCurrentUrl().endsWith("/?topics=line:9"));
        waitFor("only line 9", d -> d.findElements(By.cssSelector(".chart-card")).size() == 1
                && one(d, "#chart-5") != null);
        hub.publish(onTopic(sample(5, 4, 50.5), "line:9"), sample(1, 5, 10.1));
        waitFor("chart 5 live", attribute("#chart-5", "data-points", "2"));
        assertTrue(browser().findElements(By.id("chart-1")).isEmpty());

        // A chip adds its characteristic to the view.
        CHROMIUM.find("#picker-known .chip[data-characteristic-id='1']").click();
        waitFor("the URL has both", d -> d.getCurrentUrl().endsWith("/?characteristic_ids=1&topics=line:9"));
        waitFor("chart 1 with its history", attribute("#chart-1", "data-points", "2"));
    }

    @Test
    void withTokensThePageAsksForOneAndKeepsItForTheTab() {
        hub = RunningHub.start(dataDir, 0, "", """
                security:
                  tokens:
                    - { token: "%s", roles: [subscribe] }
                    - { token: "%s", roles: [publish] }
                """.formatted(SUBSCRIBE_TOKEN, PUBLISH_TOKEN));
        hub.publish(PUBLISH_TOKEN, List.of(limits(1, 10, 13, 7), sample(1, 1, 10.2),
                                           sample(1, 2, 14.0, tripped(77, 1, "CRITICAL")),
                                           violation(1, 77, 2, 1, "One point beyond 3 sigma", "CRITICAL", 14.0,
                                                     "Char 1")));

        browser().get(hub.uri("/?characteristic_ids=1").toString());
        waitFor("the token dialog", d -> one(d, "#token-dialog[open]"));
        waitFor("unauthorized", state("unauthorized"));
        CHROMIUM.find("#token-input").sendKeys("not-the-token-0123456789");
        CHROMIUM.find("#token-submit").click();
        waitFor("the wrong token refused", d -> one(d, "#token-dialog[open]") != null
                && CHROMIUM.find("#token-reason").getText().startsWith("The hub refused the token"));
        CHROMIUM.find("#token-input").sendKeys(SUBSCRIBE_TOKEN);
        CHROMIUM.find("#token-submit").click();
        waitFor("live with the token", state("live"));
        waitFor("2 points", attribute("#chart-1", "data-points", "2"));
        assertEquals(SUBSCRIBE_TOKEN, browser().executeScript("return sessionStorage.getItem('alerthub.token')"));
        assertFalse(browser().getCurrentUrl().contains("token"), "the token stays out of the URL");

        // Opened again in this tab (a reload would revalidate the cached files: DashboardServingTest covers that).
        browser().get("about:blank");
        browser().get(hub.uri("/?characteristic_ids=1").toString());
        waitFor("live again without asking", state("live"));
        assertTrue(browser().findElements(By.cssSelector("#token-dialog[open]")).isEmpty());
        hub.publish(PUBLISH_TOKEN, List.of(sample(1, 3, 10.4)));
        waitFor("3 points", attribute("#chart-1", "data-points", "3"));

        // A subscribe-only token may watch but not acknowledge: the dialog says so.
        CHROMIUM.find("#violations li[data-violation-id='77'] button[data-action='ack']").click();
        waitFor("the acknowledge dialog", d -> one(d, "#ack-dialog[open]"));
        CHROMIUM.find("#ack-user").clear();
        CHROMIUM.find("#ack-user").sendKeys("operator2");
        CHROMIUM.find("#ack-submit").click();
        waitFor("the refusal", d -> CHROMIUM.find("#ack-error").isDisplayed()
                && CHROMIUM.find("#ack-error").getText().contains("needs the role publish or admin"));
    }

    @Test
    void aResumeBeyondTheHistoryAsksForAReload() {
        hub = RunningHub.start(dataDir, 0, "history-size: 10", "");
        hub.publish(sample(1, 1, 10.0), sample(1, 2, 10.5));
        browser().get(hub.uri("/?characteristic_ids=1").toString());
        waitFor("live", state("live"));
        waitFor("2 points", attribute("#chart-1", "data-points", "2"));

        browser().executeScript("window.alerthubDebug.dropConnection()");
        waitFor("reconnecting", state("reconnecting"));
        List<String> many = new ArrayList<>();
        for (int i = 3; i <= 17; i++) {
            many.add(sample(1, i, 10 + i * 0.01));
        }
        hub.publish(null, many);
        browser().executeScript("window.alerthubDebug.reconnect()");
        waitFor("reload needed", state("reload-needed"));
        assertTrue(CHROMIUM.find("#connection-text").getText().contains("no longer in the hub’s history"),
                   CHROMIUM.find("#connection-text").getText());

        CHROMIUM.find("#connection-reload").click();
        waitFor("live after the reload", state("live"));
        waitFor("the 10 samples the hub still holds", attribute("#chart-1", "data-points", "10"));
    }

    // ---- waiting on the page ----

    private static <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser(), PATIENCE, Duration.ofMillis(100))
                .withMessage(() -> what + "; the page: " + pageState())
                .until(condition);
    }

    /** What a failed wait reports: where the page is and what it says. */
    private static String pageState() {
        try {
            return String.valueOf(browser().executeScript("""
                    const c = document.getElementById('connection');
                    if (!c) { return document.title + ': ' + document.body.innerText.slice(0, 300); }
                    return location.href + ' state=' + c.dataset.state + ' last_seq=' + c.dataset.lastSeq
                        + ' welcome_seq=' + c.dataset.hubSeq + ' "' + c.innerText + '" notice="'
                        + document.getElementById('notice').innerText + '" charts='
                        + [...document.querySelectorAll('.chart-card')].map(e => e.id + ':' + e.dataset.points);
                    """));
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    private static Function<WebDriver, Boolean> state(String state) {
        return attribute("#connection", "data-state", state);
    }
}
