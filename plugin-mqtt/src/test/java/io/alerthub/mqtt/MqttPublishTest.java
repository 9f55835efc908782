package io.alerthub.mqtt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.alerthub.core.testing.HubClient;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a real subscriber sees of the hub's events: topics, QoS, retain, MQTT 5 properties and payload. */
class MqttPublishTest extends HubOnSharedBrokerTest {

    MqttPublishTest() {
        super("alerthub-test", "/#");
    }

    @Override
    String mqtt(String prefix) {
        return """
                fallback-topic-template: "%s/event/{type}"
                qos: { alert.created: 2 }
                message-expiry: { alert.created: PT1H }
                """.formatted(prefix);
    }

    /** Leaves nothing retained on a broker others share. */
    @AfterEach
    void leaveNothingRetained() throws Exception {
        clearRetained(prefix + "/characteristic/1/control_limits");
    }

    @Test
    void qosRetainAndPropertiesAsConfigured() throws Exception {
        List<Long> seqs = hub.post(List.of(
                "{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"value\":10.2}}",
                "{\"type\":\"violation\",\"characteristic_id\":1,\"severity\":\"CRITICAL\",\"topics\":[\"line:7\"],"
                        + "\"payload\":{\"violation_id\":456,\"rule_id\":1}}",
                "{\"type\":\"control_limits\",\"characteristic_id\":1,\"payload\":{\"ucl\":12.5,\"lcl\":7.5}}",
                "{\"type\":\"alert.created\",\"severity\":\"WARNING\",\"topics\":[\"line:7\"],\"payload\":{\"a\":1}}"));

        Map<String, TestSubscriber.Received> byType = new HashMap<>();
        for (TestSubscriber.Received r : subscriber.await(4, WAIT)) {
            byType.put(r.userProperty("type"), r);
        }
        TestSubscriber.Received sample = byType.get("sample");
        TestSubscriber.Received violation = byType.get("violation");
        TestSubscriber.Received limits = byType.get("control_limits");
        TestSubscriber.Received alert = byType.get("alert.created");

        assertEquals(prefix + "/characteristic/1/sample", sample.topic());
        assertEquals(prefix + "/characteristic/1/violation", violation.topic());
        assertEquals(prefix + "/characteristic/1/control_limits", limits.topic());
        assertEquals(prefix + "/event/alert.created", alert.topic(), "no characteristic: the fallback template");

        assertEquals(0, sample.qos(), "sample: QoS 0 by default");
        assertEquals(1, violation.qos(), "default QoS 1");
        assertEquals(1, limits.qos());
        assertEquals(2, alert.qos(), "qos per type");

        for (TestSubscriber.Received r : List.of(sample, violation, limits, alert)) {
            assertEquals("application/json", r.properties().getContentType());
            assertTrue(r.properties().getPayloadFormat(), "UTF-8 payload");
            long seq = Long.parseLong(r.userProperty("seq"));
            Event event = hub.hub().log().read(seq - 1, 1).getFirst();
            assertEquals(event.type(), r.userProperty("type"));
            assertEquals(event.severity().name(), r.userProperty("severity"));
            assertArrayEquals(event.json(), r.payload(), "the payload is the event's one wire form");
        }
        assertEquals(seqs, List.of(sample.seq(), violation.seq(), limits.seq(), alert.seq()));
        assertEquals("CRITICAL", violation.userProperty("severity"));
        JsonNode json = HubClient.json(violation.text());
        assertEquals("violation", json.get("type").asText());
        assertEquals(456, json.get("payload").get("violation_id").asInt());
        assertTrue(json.get("requires_ack").asBoolean());
        assertEquals("characteristic:1", json.get("topic").asText());

        Long expiry = alert.properties().getMessageExpiryInterval();
        assertTrue(expiry != null && expiry > 3500 && expiry <= 3600, "message expiry per type: " + expiry);
        assertNull(violation.properties().getMessageExpiryInterval(), "no expiry where none is set");

        // Live subscribers see retain=0 (MQTT 5 default); a later subscriber gets the retained limits.
        try (TestSubscriber late = TestSubscriber.open(broker.uri(), prefix + "/characteristic/+/control_limits")) {
            TestSubscriber.Received retained = late.await(1, WAIT).getFirst();
            assertTrue(retained.retained());
            assertEquals(limits.seq(), retained.seq());
            assertArrayEquals(limits.payload(), retained.payload());
        }
        assertFalse(violation.retained());
        // the four events, and the alarm_update of the violation's alarm: the stream carries every event
        await().atMost(WAIT).until(() -> hub.mqtt().details().get("published").equals(5L));
        assertEquals(0L, hub.mqtt().details().get("publish_failures"));
    }

    @Test
    void retiringACharacteristicClearsItsRetainedMessages() throws Exception {
        hub.post("{\"type\":\"control_limits\",\"characteristic_id\":1,\"payload\":{\"ucl\":12.5}}");
        subscriber.await(1, WAIT);
        try (TestSubscriber before = TestSubscriber.open(broker.uri(), prefix + "/#")) {
            assertTrue(before.await(1, WAIT).getFirst().retained(), "retained before the retirement");
        }

        long retiredSeq = hub.post("{\"type\":\"characteristic.retired\",\"characteristic_id\":1,\"payload\":{}}");
        List<TestSubscriber.Received> seen = subscriber.await(3, WAIT);
        TestSubscriber.Received retirement = seen.get(1);
        TestSubscriber.Received clearing = seen.get(2);
        assertEquals(prefix + "/characteristic/1/characteristic.retired", retirement.topic());
        assertEquals(retiredSeq, retirement.seq());
        assertEquals(prefix + "/characteristic/1/control_limits", clearing.topic());
        assertEquals(0, clearing.payload().length, "a zero-length message clears the retained one");
        assertEquals(retiredSeq, clearing.seq());
        assertEquals(0, hub.mqtt().failed());

        try (TestSubscriber after = TestSubscriber.open(broker.uri(), prefix + "/#")) {
            // Anything retained would reach a new subscriber before an event published after it subscribed.
            long marker = hub.post("{\"type\":\"sample\",\"characteristic_id\":2,\"payload\":{}}");
            List<TestSubscriber.Received> got = after.await(1, WAIT);
            assertEquals(marker, got.getFirst().seq(), "no retained message left: " + got);
            assertFalse(got.getFirst().retained());
        }
    }

    private void clearRetained(String topic) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker.uri(), "test-clean-" + UUID.randomUUID(),
                                                     new MemoryPersistence());
        try {
            client.connect().waitForCompletion(10_000);
            client.publish(topic, new MqttMessage(new byte[0], 1, true, null)).waitForCompletion(10_000);
            client.disconnect().waitForCompletion(10_000);
        } finally {
            client.close(true);
        }
    }
}
