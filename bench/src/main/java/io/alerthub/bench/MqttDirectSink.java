package io.alerthub.bench;

import java.time.Duration;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The MQTT scenario's peer: the generator publishes the hub's wire form straight to the broker (QoS 0, as the hub
 * publishes samples), numbering events with its own {@code seq}, so the only difference from the hub's path is
 * the hub itself.
 */
final class MqttDirectSink implements EventSink {

    private final MqttAsyncClient client;
    private final String topicPrefix;
    private final int characteristicOffset;
    private long seq;

    /**
     * @param characteristicOffset added to each event's characteristic, so that the direct stream has topics of its
     *                             own beside the hub's on the same broker
     */
    MqttDirectSink(String brokerUri, String clientId, int characteristicOffset) {
        this.topicPrefix = "alerthub/characteristic/";
        this.characteristicOffset = characteristicOffset;
        try {
            client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion(10_000);
        } catch (MqttException e) {
            throw new BenchException("MQTT publisher for " + brokerUri + ": " + e.getMessage());
        }
    }

    @Override
    public void send(int characteristic, long pseq, Outcome outcome) {
        int c = characteristic + characteristicOffset;
        try {
            client.publish(topicPrefix + c + "/sample",
                           SamplePayload.wireForm(c, ++seq, pseq, SamplePayload.epochNanos()), 0, false);
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
