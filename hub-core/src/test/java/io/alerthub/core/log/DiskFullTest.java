package io.alerthub.core.log;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data directory fills up, as a failure injected into the event log's segment files ({@link FullDisk}; the
 * tmpfs variant is {@code DiskFullTmpfsTest}): producers get 507 {@code storage_full} with Retry-After, health says
 * DOWN, the hub stays up, it recovers by itself when space returns, and every event that got a 202 is in the log,
 * whole, after a restart.
 */
class DiskFullTest {

    private FullDisk disk;

    @AfterEach
    void restore() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void refusedWhileFullBackByItselfAndNothingAcknowledgedLost(@TempDir Path dir) {
        disk = FullDisk.install();
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        try (TestHub hub = TestHub.start(dir, "log: { segment-bytes: 4096 }", "")) {
            publish(hub, "before", 40, acknowledged);

            disk.full(true);
            HttpResponse<String> refused = hub.post("/api/v1/events", event("while-full-0", 10));
            assertEquals(507, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"storage_full\""), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            for (int i = 1; i < 20; i++) {
                assertEquals(507, hub.post("/api/v1/events", event("while-full-" + i, 10)).statusCode());
            }
            assertEquals(503, hub.get("/observe/health", null).statusCode(), "health says DOWN while ingest is refused");
            assertTrue(hub.get("/observe/health").body().contains("storage full"));
            assertEquals(200, hub.get("/api/v1/plugins").statusCode(), "the hub stays up");

            disk.full(false);
            publish(hub, "after", 40, acknowledged);
            assertEquals(200, hub.get("/observe/health", null).statusCode(), "health is UP again");
        }
        assertAllThere(dir, acknowledged);
    }

    /**
     * The defect found from outside: a disk that fills while a new segment is created left an empty segment file, and
     * every later attempt failed because it existed (4 KB segments on a 20 MB tmpfs: still 503 after space returned,
     * health UP). Now the failed create leaves nothing, the next write after space returns rolls, and health says
     * DOWN meanwhile.
     */
    @Test
    void aDiskThatFillsWhileANewSegmentIsCreatedRecoversByItself(@TempDir Path dir) {
        disk = FullDisk.install();
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        try (TestHub hub = TestHub.start(dir, "log: { segment-bytes: 4096 }", "")) {
            publish(hub, "first", 1, acknowledged);
            // a 3.9 KB event: the 4 KB segment holding the first one has no room left for it, so this write rolls
            disk.full(true);
            assertEquals(507, hub.post("/api/v1/events", event("rolls-0", 3900)).statusCode());
            assertEquals(503, hub.get("/observe/health", null).statusCode(), "health says DOWN while ingest is refused");
            disk.full(false);
            HttpResponse<String> back = hub.post("/api/v1/events", event("rolls-1", 3900));
            assertEquals(202, back.statusCode(), "still refused after space returned: " + back.body());
            acknowledged.put("rolls-1", HubClient.json(back.body()).get("seq").get(0).asLong());
            publish(hub, "later", 10, acknowledged);
            assertEquals(200, hub.get("/observe/health", null).statusCode());
        }
        assertAllThere(dir, acknowledged);
    }

    private static void publish(TestHub hub, String prefix, int n, Map<String, Long> acknowledged) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            List<Long> seqs = hub.publish(event(id, 100));
            acknowledged.put(id, seqs.getFirst());
        }
    }

    static String event(String id, int payloadBytes) {
        return "{\"type\":\"sample\",\"id\":\"" + id + "\",\"payload\":{\"id\":\"" + id + "\",\"fill\":\""
                + "x".repeat(payloadBytes) + "\"}}";
    }

    /** Opens the log from disk and finds every acknowledged event whole, with its seq, and no event refused. */
    static void assertAllThere(Path dataDir, Map<String, Long> acknowledged) {
        assertAllThere(dataDir, acknowledged, id -> id.startsWith("while-full") || id.equals("rolls-0"));
    }

    static void assertAllThere(Path dataDir, Map<String, Long> acknowledged,
                               java.util.function.Predicate<String> refused) {
        try (SegmentedEventLog log = SegmentedEventLog.open(dataDir.resolve("log"),
                                                            new LogSettings(FsyncPolicy.BATCH, Duration.ofMillis(100),
                                                                            1_000_000, Duration.ofDays(7), 4096),
                                                            16, Clock.systemUTC())) {
            List<Event> all = new ArrayList<>();
            long after = 0;
            for (List<Event> page = log.read(after, 1000); !page.isEmpty(); page = log.read(after, 1000)) {
                all.addAll(page);
                after = page.getLast().seq();
            }
            Map<String, Long> found = new LinkedHashMap<>();
            for (Event e : all) {
                String id = e.id().orElseThrow();
                assertEquals(id, e.payload().get("id").asText(), "payload of " + id);
                found.put(id, e.seq());
            }
            for (var a : acknowledged.entrySet()) {
                assertEquals(a.getValue(), found.get(a.getKey()), "acknowledged " + a.getKey() + " lost or moved");
            }
            assertTrue(found.keySet().stream().noneMatch(refused),
                       "a refused event is in the log: " + found.keySet());
        }
    }
}
