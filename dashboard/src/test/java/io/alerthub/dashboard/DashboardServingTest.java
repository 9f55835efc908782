package io.alerthub.dashboard;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the hub serves of the dashboard jar, over plain HTTP (no browser needed). */
class DashboardServingTest {

    @TempDir
    Path dataDir;
    private RunningHub hub;

    @BeforeEach
    void start() {
        hub = RunningHub.start(dataDir, 0, "", "");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void thePageAndEverythingItLoadsAreServed() {
        HttpResponse<String> page = hub.send("GET", "/?characteristic_ids=1,2", null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(page.body().contains("importmap"), "no inline script: the Content-Security-Policy refuses it");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        HttpResponse<String> module = hub.send("GET", "/uplot.js", null, null);
        Matcher uplot = Pattern.compile("'\\./(webjars/uplot/[0-9.]+/dist/uPlot\\.esm\\.js)'").matcher(module.body());
        assertTrue(uplot.find(), "uplot.js names uPlot's ES module: " + module.body());
        Matcher css = Pattern.compile("href=\"(webjars/uplot/[0-9.]+/dist/uPlot\\.min\\.css)\"").matcher(page.body());
        assertTrue(css.find(), "the page links uPlot's style sheet");
        for (String path : List.of(uplot.group(1), css.group(1), "uplot.js", "openapi-ui/index.html", "openapi-ui/init.js", "app.js", "api.js", "charts.js", "connection.js",
                                   "dom.js", "selection.js", "violations.js", "style.css")) {
            HttpResponse<String> r = hub.send("GET", "/" + path, null, null);
            assertEquals(200, r.statusCode(), path);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), path);
            String type = r.headers().firstValue("Content-Type").orElse("");
            assertTrue(path.endsWith(".css") ? type.startsWith("text/css")
                       : path.endsWith(".html") ? type.startsWith("text/html") : type.contains("javascript"),
                       path + " is served as " + type);
        }
    }

    /** A browser that has the page asks again with If-None-Match; it must get 304 (or the page), never an error. */
    @Test
    void aRevalidatingBrowserGetsNotModified() {
        for (String path : List.of("/", "/app.js")) {
            HttpResponse<String> first = hub.send("GET", path, null, null);
            String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + ": no ETag"));
            HttpResponse<String> again = hub.sendWith("GET", path, "If-None-Match", etag);
            assertEquals(304, again.statusCode(), path + " revalidated: " + again.body());
        }
    }
}
