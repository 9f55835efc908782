package io.alerthub.mqtt;

import java.util.concurrent.TimeUnit;

import io.alerthub.spi.HubContext;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/**
 * Devices acknowledging violations over MQTT (a shop-floor andon button): a message
 * {@code {"user":"..","reason":"..","characteristic_id":..}} on {@code alerthub/ack/<violation_id>} becomes the
 * same acknowledgement as {@code POST /api/v1/violations/<violation_id>/ack}, checked by the same rules.
 *
 * <p>A message that breaks a rule is dropped with one log line (throttled) and counted; it is still acknowledged
 * to the broker, since sending it again cannot make it right. A message that arrives while the hub is stopping
 * is not acknowledged: the broker keeps it in the session and delivers it again after the restart.
 */
final class AckBridge {

    private final MqttSettings.AckBridge settings;
    private final HubContext hub;
    private final MqttMeters meters;
    private final LogThrottle rejections;
    private final System.Logger log;
    private final String name;

    AckBridge(MqttSettings.AckBridge settings, HubContext hub, MqttMeters meters, System.Logger log) {
        this.settings = settings;
        this.hub = hub;
        this.meters = meters;
        this.log = log;
        this.name = hub.pluginName();
        this.rejections = new LogThrottle(log, 10, TimeUnit.SECONDS);
    }

    String topicFilter() {
        return settings.topicFilter();
    }

    int qos() {
        return settings.qos();
    }

    boolean matches(String topic) {
        try {
            return MqttTopicValidator.isMatched(settings.topicFilter(), topic);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Hands one message to the hub.
     *
     * @throws IllegalStateException when the hub is stopping (the message must not be acknowledged)
     */
    void handle(String topic, MqttMessage message) {
        String violationId = topic.split("/", -1)[settings.idLevel()];
        try {
            long seq = hub.acknowledge(violationId, message.getPayload());
            meters.acksBridged.incrementAndGet();
            log.log(System.Logger.Level.DEBUG, () -> "plugin " + name + ": violation " + printable(violationId)
                    + " acknowledged over MQTT (seq " + seq + ")");
        } catch (IllegalArgumentException e) {
            reject(topic, e.getMessage());
        }
    }

    private void reject(String topic, String why) {
        meters.acksRejected.incrementAndGet();
        rejections.warn("plugin " + name + ": ack bridge dropped a message on " + printable(topic) + ": " + why);
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
