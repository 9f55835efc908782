package io.alerthub.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.alerthub.core.testing.HubClient;
import io.alerthub.spi.Health;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device (an andon button) acknowledges a violation over MQTT; the hub treats it like the HTTP endpoint. */
class AckBridgeTest extends HubOnSharedBrokerTest {

    private MqttAsyncClient device;

    AckBridgeTest() {
        super("ack-test", "/characteristic/#");
    }

    @Override
    String mqtt(String prefix) {
        return """
                ack-bridge: { enabled: true, topic: "%s/ack/+" }
                """.formatted(prefix);
    }

    @BeforeEach
    void connectDevice() throws Exception {
        device = new MqttAsyncClient(broker.uri(), "andon-" + UUID.randomUUID(), new MemoryPersistence());
        device.connect().waitForCompletion(10_000);
    }

    @AfterEach
    void disconnectDevice() throws Exception {
        device.disconnect().waitForCompletion(10_000);
        device.close(true);
    }

    private void press(String violationId, String json) throws Exception {
        device.publish(prefix + "/ack/" + violationId,
                       new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, null))
                .waitForCompletion(10_000);
    }

    private JsonNode ackUpdates() {
        return HubClient.json(hub.send("GET", "/api/v1/events?since=0&type=ack_update", null).body()).get("events");
    }

    /** An alarm to acknowledge, off the subscriber's topics (no characteristic: MQTT's fallback topic). */
    private void violation(String id) {
        assertEquals(202, hub.send("POST", "/api/v1/events", "{\"type\":\"violation\",\"payload\":{\"violation_id\":"
                + id + "}}").statusCode());
    }

    @Test
    void anAckOverMqttIsTheSameAsTheHttpOne() throws Exception {
        violation("456");
        violation("458");
        press("456", "{\"user\":\"andon-7\",\"reason\":\"line stopped\",\"characteristic_id\":1}");

        await("ack_update event").atMost(WAIT).until(() -> ackUpdates().size() == 1);
        JsonNode payload = ackUpdates().get(0).get("payload");
        assertEquals(456, payload.get("violation_id").asLong());
        assertTrue(payload.get("violation_id").isNumber(), "a numeric id goes out as a number, as over HTTP");
        assertEquals(1, payload.get("characteristic_id").asInt());
        assertTrue(payload.get("acknowledged").asBoolean());
        assertEquals("andon-7", payload.get("ack_user").asText());
        assertEquals("line stopped", payload.get("ack_reason").asText());

        // The hub publishes the ack_update like any event, and does not take its own publish back.
        TestSubscriber.Received published = subscriber.await(1, WAIT).getFirst();
        assertEquals(prefix + "/characteristic/1/ack_update", published.topic());
        assertEquals("ack_update", published.userProperty("type"));

        // Over HTTP the alarm is acknowledged already: the first acknowledgement (the andon button's) stays.
        var again = hub.send("POST", "/api/v1/violations/456/ack", "{\"user\":\"operator1\"}");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("andon-7", HubClient.json(again.body()).get("alarm").get("ack_user").asText());

        // The same acknowledgement over HTTP gives the same payload.
        assertEquals(202, hub.send("POST", "/api/v1/violations/458/ack",
                                   "{\"user\":\"andon-7\",\"reason\":\"line stopped\",\"characteristic_id\":1}")
                .statusCode());
        await().atMost(WAIT).until(() -> ackUpdates().size() == 2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("violation_id", 458);
        assertEquals(payload, ackUpdates().get(1).get("payload"));
    }

    @Test
    void badMessagesAreDroppedAndCountedAndTheBridgeGoesOn() throws Exception {
        violation("\"A-7\"");
        press("1", "not json");
        press("2", "{\"user\":\"\"}");
        press("3", "{\"user\":\"op\",\"color\":\"red\"}");
        press("bad!id", "{\"user\":\"op\"}");
        press("4040", "{\"user\":\"op\"}");
        press("A-7", "{\"user\":\"op\"}");

        await("the good one").atMost(WAIT).until(() -> ackUpdates().size() == 1);
        JsonNode payload = ackUpdates().get(0).get("payload");
        assertEquals("A-7", payload.get("violation_id").asText());
        assertTrue(payload.get("violation_id").isTextual());
        assertTrue(payload.get("characteristic_id").isNull());
        await().atMost(WAIT).until(() -> bridge().get("rejected").equals(5L)); // 4040: no such alarm
        assertEquals(1L, bridge().get("accepted"));
        assertEquals(Health.State.UP, hub.mqtt().state(), "bad device messages do not hurt the channel");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> bridge() {
        return (Map<String, Object>) hub.mqtt().details().get("ack_bridge");
    }
}
