package io.alerthub.websocket;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.alerthub.simulator.DemoEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * OpenSPC's React dashboard against the hub's {@code /ws/samples} (PROTOCOL section 3b), through the exact client
 * flow of its {@code WebSocketProvider} (see {@link OpenSpcDashboard}).
 */
class OpenSpcDashboardTest {

    private static final String OPENSPC = "openspc: { enabled: true, path: /ws/samples }";

    @TempDir
    Path dataDir;

    @Test
    void theDashboardReceivesSamplesViolationsAcksAndLimitsAndReconnectsAfterARestart() throws Exception {
        TestHub hub = TestHub.start(dataDir, OPENSPC, Tokens.SECURITY, "", Tokens.PUBLISH);
        int port = hub.port();
        String jwt = Tokens.validJwt();
        try (OpenSpcDashboard dashboard = new OpenSpcDashboard("127.0.0.1:" + port, () -> jwt);
             OpenSpcDashboard other = new OpenSpcDashboard("127.0.0.1:" + port, () -> jwt)) {
            dashboard.connect();
            assertNotNull(dashboard.opened.poll(10, TimeUnit.SECONDS));
            dashboard.subscribe(1);
            dashboard.subscribe(2);
            assertEquals(TestHub.parse("{\"type\":\"subscribed\",\"characteristic_ids\":[1]}"), next(dashboard));
            assertEquals(TestHub.parse("{\"type\":\"subscribed\",\"characteristic_ids\":[2]}"), next(dashboard));
            other.subscribe(3);
            other.connect();
            assertNotNull(other.opened.poll(10, TimeUnit.SECONDS));
            assertEquals("subscribed", next(other).get("type").asText());

            String sample = """
                    {"id":123,"characteristic_id":1,"timestamp":"2026-02-02T12:00:00+00:00","mean":10.5,
                     "zone":"zone_c_upper","in_control":false}""";
            String violation = """
                    {"id":456,"characteristic_id":1,"sample_id":123,"rule_id":1,
                     "rule_name":"One point beyond 3 sigma","severity":"CRITICAL"}""";
            hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"sample\":" + sample
                                   + ",\"violations\":[" + violation + "]}}");
            assertEquals(TestHub.parse("{\"type\":\"sample\",\"characteristic_id\":1,\"sample\":" + sample
                                               + ",\"violations\":[" + violation + "]}"), next(dashboard));
            assertEquals(new OpenSpcDashboard.LatestSample(10.5, "2026-02-02T12:00:00+00:00"),
                         dashboard.latestSamples.get(1));
            assertEquals(List.of(TestHub.parse(violation)), dashboard.pendingViolations);

            String violation2 = """
                    {"id":457,"characteristic_id":2,"sample_id":124,"rule_id":2,"rule_name":"Nine points in a row",
                     "severity":"WARNING"}""";
            hub.publishOne("{\"type\":\"violation\",\"characteristic_id\":2,\"severity\":\"WARNING\","
                                   + "\"timestamp\":\"2026-02-02T12:00:01Z\",\"payload\":{\"violation\":"
                                   + violation2 + "}}");
            JsonNode expected = TestHub.parse("{\"type\":\"violation\",\"characteristic_id\":2,\"violation\":"
                                                      + violation2 + "}");
            ((ObjectNode) expected.get("violation")).put("timestamp", "2026-02-02T12:00:01Z"); // from the event
            assertEquals(expected, next(dashboard));

            hub.publishOne("{\"type\":\"control_limits\",\"characteristic_id\":1,"
                                   + "\"payload\":{\"ucl\":12.5,\"lcl\":7.5,\"center_line\":10.0}}");
            assertEquals(TestHub.parse("{\"type\":\"limits_update\",\"characteristic_id\":1,\"ucl\":12.5,"
                                               + "\"lcl\":7.5,\"center_line\":10.0}"), next(dashboard));

            // the alarm to acknowledge (OpenSPC's nested violation has no payload.violation_id), on a characteristic
            // nobody follows; its alarm_update is the hub's, never OpenSPC's
            hub.publishOne("{\"type\":\"violation\",\"characteristic_id\":9,\"payload\":{\"violation_id\":457}}");
            hub.post("/api/v1/violations/457/ack",
                     "{\"user\":\"operator1\",\"reason\":\"Process adjusted\",\"characteristic_id\":2}", 202);
            JsonNode ack = TestHub.parse("""
                    {"type":"ack_update","characteristic_id":2,"violation_id":457,"acknowledged":true,
                     "ack_user":"operator1","ack_reason":"Process adjusted"}""");
            assertEquals(ack, next(dashboard));
            assertEquals(ack, next(other), "ack_update goes to every connection");

            hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":4,\"payload\":{\"sample\":{},\"violations\":[]}}");
            hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":3,\"payload\":{\"sample\":{\"mean\":1.0,"
                                   + "\"timestamp\":\"t\"},\"violations\":[]}}");
            assertEquals(3, next(other).get("characteristic_id").asInt(), "nobody gets characteristic 4");

            dashboard.unsubscribe(2);
            assertEquals(TestHub.parse("{\"type\":\"unsubscribed\",\"characteristic_ids\":[2]}"), next(dashboard));
            hub.publishOne("{\"type\":\"violation\",\"characteristic_id\":2,\"payload\":{\"violation\":{\"id\":1}}}");
            hub.publishOne("{\"type\":\"control_limits\",\"characteristic_id\":1,\"payload\":{\"ucl\":1}}");
            assertEquals("limits_update", next(dashboard).get("type").asText(), "no violation after unsubscribing");

            assertEquals(List.of(
                    "characteristics/chartData/1", "characteristics/detail/1", "violations/stats", "violations/all",
                    "characteristics/detail/1", "characteristics/chartData/1", "violations/all", "violations/stats",
                    "characteristics/detail/1", "characteristics/chartData/1"), dashboard.invalidatedQueries);

            // The hub restarts: the dashboard reconnects with backoff and subscribes again to what it still shows.
            hub.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> !dashboard.wsConnected);
            hub = TestHub.start(port, dataDir, OPENSPC, Tokens.SECURITY, "", Tokens.PUBLISH);
            assertNotNull(dashboard.opened.poll(15, TimeUnit.SECONDS), "the dashboard reconnected");
            assertEquals(TestHub.parse("{\"type\":\"subscribed\",\"characteristic_ids\":[1]}"), next(dashboard));
            hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"sample\":{\"mean\":11.0,"
                                   + "\"timestamp\":\"2026-02-02T12:01:00+00:00\"},\"violations\":[]}}");
            assertEquals("sample", next(dashboard).get("type").asText());
            assertEquals(11.0, dashboard.latestSamples.get(1).mean());
            assertTrue(dashboard.consoleErrors.isEmpty(), dashboard.consoleErrors.toString());
        } finally {
            hub.close();
        }
    }

    @Test
    void theDialectsControlMessages() {
        try (TestHub hub = TestHub.start(dataDir, OPENSPC);
             WsClient c = WsClient.connect(hub.ws("/ws/samples"))) {
            c.send("{\"type\":\"ping\"}");
            assertEquals(TestHub.parse("{\"type\":\"pong\"}"), c.next());
            c.send("{\"action\":\"subscribe\",\"characteristic_id\":7}");
            assertEquals(TestHub.parse("{\"type\":\"subscribed\",\"characteristic_ids\":[7]}"), c.next());
            c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[\"A-1\",8]}");
            assertEquals(TestHub.parse("{\"type\":\"subscribed\",\"characteristic_ids\":[\"A-1\",8]}"), c.next());
            c.send("{\"type\":\"subscribe\"}");
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Subscribe message must contain"
                                               + " 'characteristic_ids' or 'characteristic_id' field\"}"), c.next());
            c.send("{\"type\":\"explode\"}");
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Unknown message type: explode\"}"), c.next());
            c.send("{\"characteristic_ids\":[1]}");
            assertEquals(TestHub.parse("{\"type\":\"error\",\"message\":\"Message must contain 'type' or 'action'"
                                               + " field\"}"), c.next());
            c.send("not json");
            JsonNode error = c.next();
            assertEquals("error", error.get("type").asText());
            assertEquals(2, error.size(), "OpenSPC's errors carry only a message: " + error);
            c.send("{\"type\":\"unsubscribe\",\"characteristic_ids\":[7]}");
            assertEquals(TestHub.parse("{\"type\":\"unsubscribed\",\"characteristic_ids\":[7]}"), c.next());
            hub.publishOne("{\"type\":\"alert.created\",\"characteristic_id\":\"A-1\",\"payload\":{\"n\":1}}");
            assertEquals(TestHub.parse("{\"type\":\"alert.created\",\"characteristic_id\":\"A-1\",\"n\":1}"),
                         c.next());
            assertEquals(1, hub.details().get("openspc_connections").asInt());
        }
    }

    @Test
    void openSpcConnectionsGetEveryAckUpdateEvenWhenTheHubBroadcastsNothing() {
        try (TestHub hub = TestHub.start(dataDir, OPENSPC, "", "broadcast-types: []", null);
             WsClient openSpc = WsClient.connect(hub.ws("/ws/samples"));
             WsClient alertHub = WsClient.connect(hub.ws("/ws?characteristic_ids=1"))) {
            alertHub.next("subscribed");
            openSpc.send("{\"type\":\"subscribe\",\"characteristic_ids\":[1]}");
            openSpc.next("subscribed");
            hub.publishOne("{\"type\":\"violation\",\"characteristic_id\":5,\"payload\":{\"violation_id\":9}}");
            hub.post("/api/v1/violations/9/ack", "{\"user\":\"op\",\"characteristic_id\":5}", 202);
            long sample = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{}}");
            assertEquals("ack_update", openSpc.next().get("type").asText());
            assertEquals(sample, alertHub.next().get("seq").asLong(), "/ws only gets what it subscribed to");
        }
    }

    /**
     * What {@code ./alerthub demo} publishes (the simulator's own events, {@link DemoEvents}: samples with their
     * violations, violations, control limits), posted round by round as the demo does, through {@code /ws/samples}
     * to OpenSPC's client: every message has each field the client reads (see {@link OpenSpcTranslationTest} for
     * where it reads them), and every violation it holds can be removed by its id.
     */
    @Test
    void theDemosOwnEventsGiveTheDashboardEveryFieldItReads() throws Exception {
        List<List<ObjectNode>> rounds = DemoEvents.rounds(11, 60, Instant.parse("2026-02-02T12:00:00Z"));
        try (TestHub hub = TestHub.start(dataDir, OPENSPC, Tokens.SECURITY, "", Tokens.PUBLISH);
             OpenSpcDashboard dashboard = new OpenSpcDashboard("127.0.0.1:" + hub.port(), Tokens::validJwt)) {
            for (int characteristic : List.of(1, 2, 3)) { // the demo's three characteristics
                dashboard.subscribe(characteristic);
            }
            dashboard.connect();
            assertNotNull(dashboard.opened.poll(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                assertEquals("subscribed", next(dashboard).get("type").asText());
            }
            int events = 0;
            for (List<ObjectNode> round : rounds) {
                hub.publish(round.stream().map(ObjectNode::toString).toArray(String[]::new));
                events += round.size();
            }
            List<JsonNode> messages = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                messages.add(next(dashboard));
            }
            assertEquals(List.of(), dashboard.consoleErrors);

            Set<JsonNode> violationIds = new HashSet<>();
            Set<JsonNode> sampleViolationIds = new HashSet<>();
            Map<String, Integer> types = new TreeMap<>();
            for (JsonNode m : messages) {
                types.merge(m.get("type").asText(), 1, Integer::sum);
                assertTrue(m.get("characteristic_id").isInt(), m.toString());
                switch (m.get("type").asText()) {
                    case "sample" -> {
                        assertTrue(m.get("sample").get("mean").isNumber(), m.toString());
                        assertTrue(m.get("sample").get("timestamp").isTextual(), m.toString());
                        assertTrue(m.get("violations").isArray(), m.toString());
                        for (JsonNode v : m.get("violations")) {
                            assertTrue(v.get("id").isNumber(), m.toString());
                            sampleViolationIds.add(v.get("id"));
                        }
                    }
                    case "violation" -> {
                        assertTrue(m.get("violation").get("id").isNumber(), m.toString());
                        violationIds.add(m.get("violation").get("id"));
                    }
                    case "limits_update" -> assertTrue(m.get("ucl").isNumber(), m.toString());
                    default -> fail("unexpected " + m);
                }
            }
            assertEquals(Set.of("limits_update", "sample", "violation"), types.keySet(), types.toString());
            assertEquals(60 * 3, types.get("sample"));
            assertEquals(violationIds, sampleViolationIds, "each violation is in its sample's list and on its own");

            // The store holds each violation twice (in its sample's list and on its own); removing by id clears both.
            assertEquals(violationIds.size() * 2, dashboard.pendingViolations.size());
            for (JsonNode id : violationIds) {
                dashboard.removePendingViolation(id);
            }
            assertEquals(List.of(), dashboard.pendingViolations);
        }
    }

    private static JsonNode next(OpenSpcDashboard d) throws InterruptedException {
        JsonNode m = d.received.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 10 s");
        return m;
    }
}
