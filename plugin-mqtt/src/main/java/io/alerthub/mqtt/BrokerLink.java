package io.alerthub.mqtt;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * One network connection to the broker: a Paho client used for that connection only, numbered (its generation)
 * so that callbacks arriving late from a lost connection can be told apart.
 */
final class BrokerLink {

    private final MqttAsyncClient client;
    private final int generation;
    private volatile boolean alive = true;
    private volatile String lostReason = "";
    private volatile boolean sessionPresent;
    private volatile int receiveMaximum = 65_535;
    private volatile Long maximumPacketSize;

    BrokerLink(MqttAsyncClient client, int generation) {
        this.client = client;
        this.generation = generation;
    }

    MqttAsyncClient client() {
        return client;
    }

    int generation() {
        return generation;
    }

    /** What the broker said in its CONNACK. */
    void connected(boolean sessionPresent, int receiveMaximum, Long maximumPacketSize) {
        this.sessionPresent = sessionPresent;
        this.receiveMaximum = receiveMaximum;
        this.maximumPacketSize = maximumPacketSize;
    }

    boolean alive() {
        return alive && client.isConnected();
    }

    /** @return {@code true} the first time, so that exactly one caller handles the loss */
    synchronized boolean markLost(String reason) {
        if (!alive) {
            return false;
        }
        alive = false;
        lostReason = reason == null ? "" : reason;
        return true;
    }

    String lostReason() {
        return lostReason;
    }

    boolean sessionPresent() {
        return sessionPresent;
    }

    /** How many QoS 1 and 2 publishes the broker accepts unacknowledged at once. */
    int receiveMaximum() {
        return receiveMaximum;
    }

    /** The largest packet the broker accepts, when it said. */
    Long maximumPacketSize() {
        return maximumPacketSize;
    }

    /**
     * Closes the client. {@code graceful}: a DISCONNECT (the broker then keeps the session and discards the
     * will); otherwise the socket is just dropped (the connection is gone already).
     */
    void close(boolean graceful) {
        markLost("closed");
        try {
            if (graceful && client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
            } else {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            // already disconnected: nothing to do
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // a client that cannot close has no threads left worth waiting for
        }
    }
}
