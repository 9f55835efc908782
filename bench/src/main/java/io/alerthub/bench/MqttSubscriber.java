package io.alerthub.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** An MQTT 5 subscriber (Eclipse Paho) on one topic, QoS 0, counting what arrives like a WebSocket subscriber. */
final class MqttSubscriber extends Subscriber implements MqttCallback {

    private final MqttAsyncClient client;

    MqttSubscriber(String brokerUri, String clientId, LatencyRecorder latency) {
        super(0, latency);
        try {
            client = new MqttAsyncClient(brokerUri, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new BenchException("MQTT client for " + brokerUri + ": " + e.getMessage());
        }
        client.setCallback(this);
    }

    /** Connects and subscribes; ready once the broker acknowledged the subscription. */
    void subscribe(String topic) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        try {
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(topic, 0).waitForCompletion(10_000);
            ready();
        } catch (MqttException e) {
            closed("MQTT subscribe failed: " + e.getMessage());
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        byte[] payload = message.getPayload();
        onEvent(payload, 0, payload.length);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        closed("disconnected by the broker: " + response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        closed("MQTT error: " + exception.getMessage());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // subscribers publish nothing
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        // ready once subscribed
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    @Override
    void close() {
        closed("closed by the generator");
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
