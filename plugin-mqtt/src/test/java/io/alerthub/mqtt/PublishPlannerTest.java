package io.alerthub.mqtt;

import java.util.List;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishPlannerTest {

    private static PublishPlanner planner(String yaml) {
        ConfigNode mqtt = HubConfig.fromYaml("plugins:\n  mqtt:\n" + yaml.stripIndent().indent(4), java.util.Map.of())
                .plugins().child("mqtt");
        return new PublishPlanner(MqttSettings.create(mqtt));
    }

    private static Event event(String type, String characteristic, Severity severity, long seq) {
        EventDraft.Builder b = EventDraft.builder(type).severity(severity).payloadJson("{\"v\":1}");
        if (characteristic != null) {
            b.characteristicId(characteristic);
        }
        return b.build(seq);
    }

    @Test
    void oneMessagePerEventWithItsQosRetainAndProperties() {
        PublishPlanner p = planner("message-expiry: { sample: 90s }");
        PublishPlanner.Outbound sample = p.plan(event("sample", "1", Severity.INFO, 5)).getFirst();
        PublishPlanner.Outbound limits = p.plan(event("control_limits", "1", Severity.INFO, 6)).getFirst();
        Event alertEvent = event("alert.created", null, Severity.WARNING, 7);
        PublishPlanner.Outbound alert = p.plan(alertEvent).getFirst();

        assertEquals("alerthub/characteristic/1/sample", sample.topic());
        assertEquals(0, sample.qos());
        assertFalse(sample.retain());
        assertEquals(90, sample.expiry().getAsLong());
        assertTrue(limits.retain());
        assertEquals(1, limits.qos());
        assertEquals("alerthub/event/alert.created", alert.topic());

        MqttMessage m = alert.toMessage();
        assertEquals("application/json", m.getProperties().getContentType());
        assertEquals("7", m.getProperties().getUserProperties().get(0).getValue());
        assertEquals("alert.created", m.getProperties().getUserProperties().get(1).getValue());
        assertEquals("WARNING", m.getProperties().getUserProperties().get(2).getValue());
        assertNull(m.getProperties().getMessageExpiryInterval());
        assertArrayEquals(alertEvent.json(), m.getPayload());
        assertTrue(m.getProperties() != alert.toMessage().getProperties(), "a fresh message for every send");
    }

    @Test
    void retiringClearsEveryRetainedTopicOfTheCharacteristic() {
        PublishPlanner p = planner("""
                topic-template: "plant/{characteristic_id}/{severity}/{type}"
                retain: [control_limits, spec_limits]
                """);
        List<PublishPlanner.Outbound> plan = p.plan(event("characteristic.retired", "42", Severity.INFO, 9));
        assertEquals("plant/42/INFO/characteristic.retired", plan.getFirst().topic());
        assertEquals(7, plan.size(), "the event, then 2 retained types × 3 severities");
        for (PublishPlanner.Outbound clear : plan.subList(1, plan.size())) {
            assertTrue(clear.retain());
            assertEquals(0, clear.payload().length);
            assertTrue(clear.topic().startsWith("plant/42/"), clear.topic());
            assertNull(clear.toMessage().getProperties().getContentType());
        }
        assertEquals(List.of("plant/42/INFO/control_limits", "plant/42/WARNING/control_limits",
                             "plant/42/CRITICAL/control_limits", "plant/42/INFO/spec_limits",
                             "plant/42/WARNING/spec_limits", "plant/42/CRITICAL/spec_limits"),
                     plan.subList(1, plan.size()).stream().map(PublishPlanner.Outbound::topic).toList());
    }

    @Test
    void retirementWithoutACharacteristicOrWhenTurnedOffIsJustAnEvent() {
        assertEquals(1, planner("").plan(event("characteristic.retired", null, Severity.INFO, 1)).size());
        assertEquals(1, planner("retire-type: \"\"").plan(event("characteristic.retired", "1", Severity.INFO, 1))
                .size());
    }
}
