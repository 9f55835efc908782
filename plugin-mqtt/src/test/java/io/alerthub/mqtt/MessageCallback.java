package io.alerthub.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A subscriber's Paho callback: only messages (and, when wanted, reconnects) matter to a test. */
abstract class MessageCallback implements MqttCallback {

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // the client reconnects by itself
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // shows up as a missing message in the test
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // subscribers do not publish
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // nothing to redo by default
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
