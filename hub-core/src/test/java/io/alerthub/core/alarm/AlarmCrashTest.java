package io.alerthub.core.alarm;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;
import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alarms are the same before and after a {@code kill -9}, rebuilt from the snapshot and the event log, and no
 * change is announced twice ({@code alarm_update}s are not repeated by the rebuild).
 */
class AlarmCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theAlarmsAreIdenticalAfterAKill9() throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server: { port: 0 }
                hub:
                  data-dir: "%s"
                  log: { fsync: none }
                """.formatted(dir.resolve("data")));
        String before;
        HubProcess first = HubProcess.start(config);
        try {
            HubClient hub = first.client();
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 1; i <= 30; i++) {
                batch.append(i == 1 ? "" : ",").append("{\"type\":\"violation\",\"characteristic_id\":").append(i % 4)
                        .append(",\"topics\":[\"line:").append(i % 3).append("\"],\"severity\":\"CRITICAL\","
                                + "\"payload\":{\"violation_id\":").append(i).append(",\"rule_name\":\"R").append(i % 2)
                        .append("\"}}");
            }
            hub.publish(batch.append("]}").toString());
            for (int i = 1; i <= 30; i += 3) {
                ok(hub.post("/api/v1/violations/" + i + "/ack", "{\"user\":\"op" + i + "\",\"reason\":\"r\"}"));
            }
            for (int i = 2; i <= 30; i += 4) {
                ok(hub.post("/api/v1/violations/" + i + "/clear", "{\"user\":\"op\",\"reason\":\"fixed\"}"));
            }
            hub.publish("{\"type\":\"violation_cleared\",\"payload\":{\"violation_id\":7}}");
            hub.publish("{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{\"violation_id\":2}}");
            // every change announced before the kill: 30 opened, 10 acks, 8 + 1 clears, 1 reopened
            await().atMost(WAIT).until(() -> updates(hub).size() == 50);
            before = hub.get("/api/v1/alarms?state=all&limit=1000").body();
        } finally {
            assertTrue(first.kill(Duration.ofSeconds(10)));
        }

        HubProcess second = HubProcess.start(config);
        try {
            HubClient hub = second.client();
            assertEquals(HubClient.json(before), HubClient.json(hub.get("/api/v1/alarms?state=all&limit=1000").body()));
            JsonNode alarms = HubClient.json(before).get("alarms");
            assertEquals(30, alarms.size());
            ok(hub.post("/api/v1/violations/5/ack", "{\"user\":\"after\"}"));
            await().atMost(WAIT).until(() -> updates(hub).size() == 51);
            Map<String, Integer> perChange = new HashMap<>();
            for (JsonNode u : updates(hub)) {
                JsonNode p = u.get("payload");
                perChange.merge(p.get("cause_seq").asLong() + "/" + p.get("change").asText(), 1, Integer::sum);
            }
            assertTrue(perChange.values().stream().allMatch(n -> n == 1), "each change announced once: " + perChange);
        } finally {
            assertTrue(second.terminate(Duration.ofSeconds(30)));
        }
    }

    @Test
    void withoutASnapshotTheAlarmsAreRebuiltFromTheLogAndThePastIsNotAnnouncedAgain() throws Exception {
        Path data = dir.resolve("data");
        try (TestHub hub = TestHub.start(data, "")) {
            hub.publish("{\"events\":[{\"type\":\"violation\",\"payload\":{\"violation_id\":1}},"
                                + "{\"type\":\"violation\",\"payload\":{\"violation_id\":2}}]}");
            ok(hub.post("/api/v1/violations/2/clear", "{\"user\":\"op\"}"));
            await().atMost(WAIT).until(() -> updates(hub).size() == 3);
        }
        // an upgrade from a version without alarms, or a lost snapshot: only the log is left
        try (var files = Files.walk(data.resolve("alarms"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (TestHub hub = TestHub.start(data, "")) {
            JsonNode alarms = HubClient.json(hub.get("/api/v1/alarms?state=all").body()).get("alarms");
            assertEquals(2, alarms.size(), "rebuilt from the log");
            assertEquals("CLEARED", alarms.get(0).get("state").asText());
            // the alarms announce what is due before they read on: once they have read past this, it would be there
            hub.publish("{\"type\":\"sample\",\"payload\":{}}");
            assertEquals(200, hub.get("/api/v1/alarms").statusCode(), "answered once the alarms caught up");
            assertEquals(3, updates(hub).size(), "what happened before is not announced a second time");
        }
    }

    private static void ok(HttpResponse<String> r) {
        assertEquals(202, r.statusCode(), r.body());
    }

    private static List<JsonNode> updates(HubClient hub) {
        List<JsonNode> out = new java.util.ArrayList<>();
        HubClient.json(hub.get("/api/v1/events?since=0&type=alarm_update&limit=1000").body()).get("events")
                .forEach(out::add);
        return out;
    }
}
