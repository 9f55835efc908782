package io.alerthub.bench;

import java.time.Duration;
import java.util.OptionalLong;

import io.alerthub.mqtt.EventMessages;
import io.alerthub.mqtt.NoDelaySockets;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The MQTT scenario's peer: the generator publishes what the hub's MQTT plugin publishes, straight to the broker,
 * numbering events with its own {@code seq}, so the only difference from the hub's path is the hub itself. The
 * message is the plugin's, field for field and so of the same size: the hub's wire form at QoS 0 (as the hub
 * publishes samples) with the plugin's MQTT 5 properties ({@link EventMessages}), from a Paho client without
 * Nagle's algorithm, as the plugin's. The size matters: Linux acknowledges late a segment of 524 bytes or more
 * (docs/performance.md, item 12), so a smaller message would make the direct path faster for a reason that is not
 * the hub.
 */
final class MqttDirectSink implements EventSink {

    private static final String TOPIC_PREFIX = "alerthub/characteristic/";

    private final MqttAsyncClient client;
    private final int characteristicOffset;
    private long seq;

    /**
     * @param characteristicOffset added to each event's characteristic, so that the direct stream has topics of its
     *                             own beside the hub's on the same broker
     */
    MqttDirectSink(String brokerUri, String clientId, int characteristicOffset) {
        this.characteristicOffset = characteristicOffset;
        try {
            client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setSocketFactory(NoDelaySockets.plain());
            client.connect(options).waitForCompletion(10_000);
        } catch (MqttException e) {
            throw new BenchException("MQTT publisher for " + brokerUri + ": " + e.getMessage());
        }
    }

    @Override
    public void send(int characteristic, long pseq, Outcome outcome) {
        int c = characteristic + characteristicOffset;
        long s = ++seq;
        MqttMessage message = EventMessages.create(SamplePayload.wireForm(c, s, pseq, SamplePayload.epochNanos()), 0,
                                                   false, s, "sample", "INFO", OptionalLong.empty());
        try {
            client.publish(TOPIC_PREFIX + c + "/sample", message);
            outcome.accepted();
        } catch (MqttException e) {
            outcome.failed(e.getMessage());
        }
    }

    @Override
    public void awaitAnswers(Duration timeout) {
        // QoS 0: nothing is answered
    }

    @Override
    public void close() {
        try {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
