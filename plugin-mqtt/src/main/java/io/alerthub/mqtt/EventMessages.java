package io.alerthub.mqtt;

import java.util.List;
import java.util.OptionalLong;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The MQTT message that carries an event, with the plugin's MQTT 5 properties (docs/mqtt.md): content type
 * {@code application/json} and payload format indicator 1 unless the payload is empty, user properties
 * {@code seq}, {@code type} and {@code severity}, and the message expiry when one is set.
 *
 * <p>Public for the bench, whose direct MQTT publisher sends the same message as the plugin.
 */
public final class EventMessages {

    private EventMessages() {
    }

    /**
     * A fresh Paho message each time: Paho writes connection state (topic aliases) into its properties, and lowers
     * QoS and drops retain itself when the broker said it supports less.
     */
    public static MqttMessage create(byte[] payload, int qos, boolean retain, long seq, String type, String severity,
                                     OptionalLong expirySeconds) {
        MqttProperties props = new MqttProperties();
        if (payload.length > 0) {
            props.setContentType("application/json");
            props.setPayloadFormat(true);
        }
        props.setUserProperties(List.of(new UserProperty("seq", Long.toString(seq)), new UserProperty("type", type),
                                        new UserProperty("severity", severity)));
        if (expirySeconds.isPresent()) {
            props.setMessageExpiryInterval(expirySeconds.getAsLong());
        }
        return new MqttMessage(payload, qos, retain, props);
    }
}
