package io.alerthub.websocket;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every message of PROTOCOL section 3, with a real client against a running hub. */
class ProtocolTest {

    @RegisterExtension
    static final TestHub hub = TestHub.perClass("heartbeat-interval: PT0.3S, heartbeat-timeout: PT30S");

    @Test
    void welcomeComesFirstWithAConnectionIdAndTheLanePosition() {
        long head = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":100,\"payload\":{}}");
        await().until(() -> hub.details().get("last_seq").asLong() == head);
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            JsonNode welcome = c.next();
            assertEquals("welcome", welcome.get("type").asText());
            assertEquals(4, UUID.fromString(welcome.get("connection_id").asText()).version());
            assertEquals(head, welcome.get("last_seq").asLong());
            assertEquals(300, welcome.get("heartbeat_interval_ms").asLong());
            assertEquals(30_000, welcome.get("heartbeat_timeout_ms").asLong());
            assertEquals(5, welcome.size(), welcome.toString());
        }
    }

    @Test
    void subscribeAndUnsubscribeAnswerWithTheWholeSubscription() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[1,2,3]}");
            assertEquals(TestHub.parse("""
                    {"type":"subscribed","characteristic_ids":[1,2,3],"topics":[],"events":[]}"""), c.next());
            c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[\"A-7\"],\"topics\":[\"project:456\",\"characteristic:*\"],"
                           + "\"events\":[\"alert.*\",\"violation\"]}");
            assertEquals(TestHub.parse("""
                    {"type":"subscribed","characteristic_ids":[1,2,3,"A-7"],"topics":["project:456","characteristic:*"],
                     "events":["alert.*","violation"]}"""), c.next());
            c.send("{\"type\":\"unsubscribe\",\"characteristic_ids\":[2],\"topics\":[\"characteristic:*\"],\"events\":[\"violation\"]}");
            assertEquals(TestHub.parse("""
                    {"type":"subscribed","characteristic_ids":[1,3,"A-7"],"topics":["project:456"],"events":["alert.*"]}"""),
                         c.next());
            await().until(() -> hub.details().get("subscriptions").asInt() == 5);
        }
    }

    @Test
    void aSubscriptionGivenAtConnectIsConfirmedAfterTheWelcome() {
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=11,12&topics=line:7&events=alert.*"))) {
            c.next("welcome");
            assertEquals(TestHub.parse("""
                    {"type":"subscribed","characteristic_ids":[11,12],"topics":["line:7"],"events":["alert.*"]}"""),
                         c.next());
            long seq = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":12,\"payload\":{\"v\":1}}");
            assertEquals(seq, c.next("sample").get("seq").asLong());
        }
    }

    @Test
    void anEventArrivesAsTheHubsWireFormWithRequiresAckOnCritical() {
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=21"))) {
            c.next("subscribed");
            long seq = hub.publishOne("""
                    {"type":"violation","characteristic_id":21,"topics":["line:7"],"severity":"CRITICAL",
                     "id":"v-21","timestamp":"2026-02-02T12:00:00Z",
                     "payload":{"violation_id":456,"sample_id":123,"rule_id":1,"rule_name":"One point beyond 3 sigma"}}""");
            JsonNode event = c.next("violation");
            JsonNode stored = TestHub.parse(hub.get("/api/v1/events?since=" + (seq - 1) + "&limit=1").body())
                    .get("events").get(0);
            assertEquals(stored, event, "the WebSocket message is the hub's wire form");
            assertEquals(seq, event.get("seq").asLong());
            assertEquals("characteristic:21", event.get("topic").asText());
            assertEquals("CRITICAL", event.get("severity").asText());
            assertEquals("2026-02-02T12:00:00Z", event.get("timestamp").asText());
            assertEquals(456, event.get("payload").get("violation_id").asInt());
            assertTrue(event.get("requires_ack").asBoolean());
            assertFalse(event.has("replay"));

            long info = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":21,\"payload\":{}}");
            JsonNode sample = c.next("sample");
            assertEquals(info, sample.get("seq").asLong());
            assertFalse(sample.has("requires_ack"));
        }
    }

    @Test
    void theHubPingsEveryIntervalWithItsPosition() {
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=31"))) {
            c.next("subscribed");
            long seq = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":31,\"payload\":{}}");
            c.next("sample");
            JsonNode ping;
            do {
                ping = c.nextPing();
            } while (ping.get("last_seq").asLong() < seq);
            assertEquals(2, ping.size(), ping.toString());
            c.nextPing();
        }
    }

    @Test
    void aClientPingIsAnsweredWithPongAndAPongIsOnlyLife() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{\"type\":\"pong\"}");
            c.send("{\"type\":\"ping\"}");
            JsonNode pong = c.next();
            assertEquals("pong", pong.get("type").asText(), "a pong from the client is not answered: " + pong);
            assertEquals(hub.details().get("last_seq").asLong(), pong.get("last_seq").asLong());
        }
    }

    @Test
    void anAckIsRecordedAndShownAsLagInThePluginsEntry() {
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=41"))) {
            c.next("subscribed");
            long critical = hub.publishOne("{\"type\":\"violation\",\"characteristic_id\":41,\"severity\":\"CRITICAL\","
                                                   + "\"payload\":{}}");
            assertTrue(c.next("violation").get("requires_ack").asBoolean());
            JsonNode before = hub.details();
            assertEquals(1, before.get("unacknowledged_clients").asInt(), before.toString());
            assertEquals(critical, before.get("ack_lag_max").asLong(), before.toString());

            c.send("{\"type\":\"ack\",\"seq\":" + critical + "}");
            await().untilAsserted(() -> {
                JsonNode after = hub.details();
                assertEquals(0, after.get("unacknowledged_clients").asInt(), after.toString());
                assertEquals(0, after.get("ack_lag_max").asLong(), after.toString());
            });
        }
    }

    @Test
    void resumeReplaysHeldEventsMarkedReplay() {
        long before = hub.head();
        List<Long> seqs = hub.publish("{\"type\":\"sample\",\"characteristic_id\":51,\"payload\":{\"n\":1}}",
                                      "{\"type\":\"sample\",\"characteristic_id\":52,\"payload\":{\"n\":2}}",
                                      "{\"type\":\"sample\",\"characteristic_id\":51,\"payload\":{\"n\":3}}");
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=51"))) {
            c.next("subscribed");
            c.send("{\"type\":\"resume\",\"since\":" + before + "}");
            JsonNode first = c.next();
            JsonNode second = c.next();
            assertEquals(seqs.get(0), first.get("seq").asLong());
            assertEquals(seqs.get(2), second.get("seq").asLong());
            assertTrue(first.get("replay").asBoolean());
            assertTrue(second.get("replay").asBoolean());
            assertEquals(3, second.get("payload").get("n").asInt());
            long live = hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":51,\"payload\":{}}");
            JsonNode next = c.next();
            assertEquals(live, next.get("seq").asLong());
            assertFalse(next.has("replay"));
        }
    }

    @Test
    void badClientMessagesAreAnsweredWithAnErrorAndTheConnectionStaysOpen() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{\"type\":\"explode\"}");
            JsonNode error = c.next();
            assertEquals("error", error.get("type").asText());
            assertEquals("unknown_type", error.get("code").asText());
            assertTrue(error.get("message").asText().contains("explode"), error.toString());
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().get("type").asText());
        }
    }

    @Test
    void metricsAreServedAndPlainHttpGets426() {
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=61"))) {
            c.next("subscribed");
            hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":61,\"payload\":{}}");
            c.next("sample");
            String metrics = hub.metrics();
            assertTrue(metrics.contains("alerthub_websocket_connections"), metrics);
            assertTrue(metrics.contains("alerthub_websocket_subscriptions"), metrics);
            assertTrue(metrics.contains("alerthub_websocket_messages_sent"), metrics);
            assertTrue(metrics.contains("alerthub_websocket_closes_total{reason=\"slow_consumer\""), metrics);
            assertTrue(metrics.contains("alerthub_websocket_closes_total{reason=\"heartbeat_timeout\""), metrics);
        }
        HttpResponse<String> plain = hub.get("/ws");
        assertEquals(426, plain.statusCode());
        assertEquals("upgrade_required", TestHub.parse(plain.body()).get("error").get("code").asText());
        assertEquals("websocket", plain.headers().firstValue("Upgrade").orElseThrow());
    }
}
