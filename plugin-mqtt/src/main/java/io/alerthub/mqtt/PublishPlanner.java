package io.alerthub.mqtt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * Turns an event into the MQTT messages that carry it: one message with the event's JSON to its rendered
 * topic; and, for the retirement event type, a zero-length retained message to every topic where a retained
 * type of that characteristic may have been published (which makes the broker forget it).
 */
final class PublishPlanner {

    private static final byte[] EMPTY = new byte[0];

    private final MqttSettings settings;

    PublishPlanner(MqttSettings settings) {
        this.settings = settings;
    }

    /**
     * One MQTT message to publish.
     *
     * @param topic   the rendered topic
     * @param payload the event's JSON, or empty to clear a retained message
     * @param qos     the configured QoS (the broker's maximum may lower it when it is sent)
     * @param retain  whether the broker keeps it for later subscribers
     * @param event   the event it comes from (for its user properties)
     * @param expiry  the message expiry interval in seconds, when one is set
     */
    record Outbound(String topic, byte[] payload, int qos, boolean retain, Event event, OptionalLong expiry) {

        /** A fresh Paho message (see {@link EventMessages#create}). */
        MqttMessage toMessage() {
            return EventMessages.create(payload, qos, retain, event.seq(), event.type(), event.severity().name(),
                                        expiry);
        }

        /**
         * An upper bound of the PUBLISH packet's size (fixed header, topic, packet id, properties, payload), to
         * compare with the broker's Maximum Packet Size before sending a packet it would drop the connection for.
         */
        long packetBytes() {
            long userProperties = 3 * 5L + "seq".length() + 20 + "type".length() + event.type().length()
                    + "severity".length() + "CRITICAL".length();
            long properties = 4 + 19 + 2 + 5 + 3 + userProperties; // length, content type, format, expiry, alias
            return 5 + 2 + TopicEncoding.utf8Length(topic) + 2 + properties + payload.length;
        }
    }

    /**
     * The messages of {@code event}, in the order they are published.
     *
     * @throws IllegalArgumentException when a rendered topic is not a valid MQTT topic (cannot happen with the
     *                                  encoding; checked so that a broker is never sent one)
     */
    List<Outbound> plan(Event event) {
        String type = event.type();
        TopicTemplate template = event.characteristicId().isPresent()
                ? settings.topicTemplate() : settings.fallbackTemplate();
        String topic = template.render(new TopicTemplate.Values(type, event.characteristicId().orElse(null),
                                                                event.severity().name(), event.topic()));
        MqttTopicValidator.validate(topic, false, false);
        List<Outbound> out = new ArrayList<>(2);
        out.add(new Outbound(topic, event.json(), settings.qosOf(type), settings.retained(type), event,
                             settings.expirySecondsOf(type)));
        if (type.equals(settings.retireType()) && event.characteristicId().isPresent()) {
            for (String retained : retainedTopics(event.characteristicId().get())) {
                if (!retained.equals(topic)) {
                    out.add(new Outbound(retained, EMPTY, settings.qosOf(type), true, event, OptionalLong.empty()));
                }
            }
        }
        return out;
    }

    /**
     * Every topic a retained type of this characteristic can have gone to. {@code {topic}} of a characteristic's
     * event is always {@code characteristic:<id>}; {@code {severity}} may have been any of the three.
     */
    Set<String> retainedTopics(String characteristicId) {
        TopicTemplate template = settings.topicTemplate();
        List<Severity> severities = template.uses(TopicTemplate.Placeholder.SEVERITY)
                ? List.of(Severity.values()) : List.of(Severity.INFO);
        Set<String> topics = new LinkedHashSet<>();
        for (String type : settings.retain()) {
            for (Severity severity : severities) {
                topics.add(template.render(new TopicTemplate.Values(type, characteristicId, severity.name(),
                                                                    "characteristic:" + characteristicId)));
            }
        }
        return topics;
    }
}
