package io.alerthub.log;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example plugin, end to end: a real hub discovers it, events are POSTed, lines appear in the log. */
class LogNotifierTest {

    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("alerthub.events");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void logsTheEventsItsRulesMatch() throws Exception {
        try (Hub hub = Hub.start(HubConfig.fromYaml("""
                server: { port: 0 }
                hub: { data-dir: "%s" }
                plugins:
                  log: { enabled: true, types: ["violation", "alert.*"], min-severity: WARNING, level: warning }
                """.formatted(dir)))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"events":[
                                      {"type":"violation","characteristic_id":3,"severity":"CRITICAL","payload":{}},
                                      {"type":"violation","severity":"INFO","payload":{}},
                                      {"type":"sample","severity":"CRITICAL","payload":{}},
                                      {"type":"alert.created","topics":["line:7"],"severity":"WARNING","payload":{}}]}
                                    """)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 2);
            assertEquals("seq=1 type=violation severity=CRITICAL topic=characteristic:3", lines.get(0).getMessage());
            assertEquals("seq=4 type=alert.created severity=WARNING topic=line:7", lines.get(1).getMessage());
            assertEquals(Level.WARNING, lines.get(0).getLevel());
        }
    }

    @Test
    void aBadPatternStopsTheStartNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> Hub.start(HubConfig.fromYaml("""
                server: { port: 0 }
                hub: { data-dir: "%s" }
                plugins:
                  log: { enabled: true, types: ["Violation"] }
                """.formatted(dir))));
        assertEquals("plugins.log.types", e.key());
        assertTrue(e.getMessage().contains("event pattern"));
    }
}
