package io.alerthub.core;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub as a real process: killed with SIGKILL right after a 202, started again. */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync {0}")
    @ValueSource(strings = {"batch", "interval", "none"})
    void anEventAcknowledgedWith202SurvivesKill9AndEveryPluginGetsIt(String fsync) throws Exception {
        Path recorded = dir.resolve("recorded.txt");
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server: { port: 0 }
                hub:
                  data-dir: "%s"
                  log: { fsync: %s }
                plugins:
                  recorder: { enabled: true, file: "%s" }
                  faulty: { enabled: true, behaviour: ok }
                """.formatted(dir.resolve("data"), fsync, recorded));

        long seq;
        HubProcess first = HubProcess.start(config);
        try {
            HubClient hub = first.client();
            // no violation_id: no alarm, so no alarm_update takes the next seq
            HttpResponse<String> r = hub.post("/api/v1/events", "{\"type\":\"violation\",\"id\":\"crash-1\","
                    + "\"severity\":\"CRITICAL\",\"payload\":{\"sample_id\":1}}");
            assertEquals(202, r.statusCode(), r.body());
            seq = HubClient.json(r.body()).get("seq").get(0).asLong();
        } finally {
            first.kill(Duration.ofSeconds(10));    // SIGKILL: no shutdown hook, no cursor flush, no fsync
        }

        HubProcess second = HubProcess.start(config);
        try {
            HubClient hub = second.client();
            JsonNode page = HubClient.json(hub.get("/api/v1/events?since=" + (seq - 1)).body());
            assertEquals(seq, page.get("events").get(0).get("seq").asLong(), "the event is in history");
            assertEquals("crash-1", page.get("events").get(0).get("id").asText());
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(recorded)
                    && Files.readAllLines(recorded).contains(Long.toString(seq)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode plugins = HubClient.json(hub.get("/api/v1/plugins").body()).get("plugins");
                for (JsonNode p : plugins) {
                    if (p.get("enabled").asBoolean()) {
                        assertTrue(p.get("cursor").asLong() >= seq, p.toString());
                    }
                }
            });
            HttpResponse<String> again = hub.post("/api/v1/events",
                                                  "{\"type\":\"violation\",\"id\":\"crash-1\",\"payload\":{}}");
            assertEquals(1, HubClient.json(again.body()).get("duplicates").asInt(), "dedup survives the restart");
            HttpResponse<String> next = hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}");
            assertEquals(seq + 1, HubClient.json(next.body()).get("seq").get(0).asLong(), "numbering goes on");
        } finally {
            assertTrue(second.terminate(Duration.ofSeconds(30)));
            assertEquals(0, second.exitValue(), "SIGTERM stops the hub cleanly with exit code 0");
        }
    }

    @Test
    void aBadConfigFileEndsWithOneLineAndExitCode2() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "hub:\n  history-size: lots\n");
        HubProcess p = HubProcess.start(config);
        String out = p.output().trim();
        assertTrue(p.waitFor(Duration.ofSeconds(30)));
        assertEquals(2, p.exitValue());
        assertEquals(List.of("alerthub: configuration error: hub.history-size: 'lots' is not a whole number"),
                     out.lines().toList());
    }
}
