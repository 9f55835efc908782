package io.alerthub.core.event;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dedup id cap ({@code hub.dedup-max-ids}) no longer shortens the window silently: the start says up to which rate
 * the window holds, and once the cap forgets ids early, the log warns (once) and health says so.
 */
class DedupCapTest {

    @Test
    void aShortenedWindowIsReportedAtStartInTheLogAndInHealth(@TempDir Path dir) {
        List<String> lines = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!Ingest.class.getName().equals(r.getLoggerName())) {
                    return;
                }
                synchronized (lines) {
                    lines.add(r.getLevel() + " " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(h);
        try (TestHub hub = TestHub.start(dir, "dedup-max-ids: 10\ndedup-window: PT10M", "")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("at most 10") && l.contains("per second")), lines.toString());
            assertTrue(!hub.get("/observe/health").body().contains("dedup_window_shortened_to"));
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                events.add("{\"type\":\"sample\",\"id\":\"e-" + i + "\",\"payload\":{}}");
            }
            hub.publish(HubClient.batch(events));
            String health = hub.get("/observe/health").body();
            assertTrue(health.contains("dedup_window_shortened_to"), health);
            synchronized (lines) {
                assertTrue(lines.stream().filter(l -> l.startsWith("WARNING") && l.contains("hub.dedup-max-ids"))
                                   .count() == 1, lines.toString());
            }
        } finally {
            Logger.getLogger("").removeHandler(h);
        }
    }
}
