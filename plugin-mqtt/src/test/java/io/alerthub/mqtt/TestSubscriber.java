package io.alerthub.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;


/**
 * A real MQTT 5 subscriber (Paho) that records everything it receives. With a persistent session it reconnects
 * by itself and the broker keeps its messages while it is away (and across a broker restart).
 */
final class TestSubscriber implements AutoCloseable {

    /** One message as the subscriber saw it. */
    record Received(String topic, byte[] payload, int qos, boolean retained, boolean duplicate,
                    MqttProperties properties) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        String userProperty(String key) {
            for (UserProperty p : properties.getUserProperties()) {
                if (p.getKey().equals(key)) {
                    return p.getValue();
                }
            }
            return null;
        }

        long seq() {
            String s = userProperty("seq");
            return s == null ? -1 : Long.parseLong(s);
        }
    }

    static final int RECEIVE_MAXIMUM = 10;

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final String filter;
    private final int qos;

    private TestSubscriber(String uri, String filter, int qos, boolean persistent, String username, String password)
            throws MqttException {
        this.filter = filter;
        this.qos = qos;
        this.client = new MqttAsyncClient(uri, "test-sub-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message.getPayload(), message.getQos(), message.isRetained(),
                                          message.isDuplicate(), message.getProperties()));
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    // A broker that lost its state (no persistence) needs the subscription again.
                    subscribe(false);
                }
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(!persistent);
        options.setSessionExpiryInterval(persistent ? 600L : 0L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        options.setKeepAliveInterval(10);
        // The broker keeps at most this many messages unacknowledged to us: all it may deliver twice after a restart.
        options.setReceiveMaximum(RECEIVE_MAXIMUM);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        client.connect(options).waitForCompletion(10_000);
        subscribe(true);
    }

    /** Subscribes to {@code filter} on {@code uri}, with a fresh session that ends when it disconnects. */
    static TestSubscriber open(String uri, String filter) throws MqttException {
        return new TestSubscriber(uri, filter, 2, false, null, null);
    }

    /** The same, logging in as {@code username}. */
    static TestSubscriber open(String uri, String filter, String username, String password) throws MqttException {
        return new TestSubscriber(uri, filter, 2, false, username, password);
    }

    /** The same with a session the broker keeps while this subscriber is disconnected (QoS 1). */
    static TestSubscriber persistent(String uri, String filter) throws MqttException {
        return new TestSubscriber(uri, filter, 1, true, null, null);
    }

    private void subscribe(boolean wait) {
        try {
            IMqttToken token = client.subscribe(new MqttSubscription(filter, qos));
            if (wait) {
                token.waitForCompletion(10_000);
            }
        } catch (MqttException e) {
            throw new IllegalStateException("cannot subscribe to " + filter, e);
        }
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (Received r : received) {
            out.add(r.seq());
        }
        return out;
    }

    /** Waits until at least {@code n} messages arrived. */
    List<Received> await(int n, Duration timeout) {
        org.awaitility.Awaitility.await("%d messages on %s".formatted(n, filter)).atMost(timeout).until(() -> received.size() >= n);
        return received();
    }

    boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5000);
            }
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
