package io.alerthub.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** A device on the broker: subscribed to everything, keeping the {@code seq} user property of each message, in order. */
final class MqttProbe implements AutoCloseable {

    private final MqttClient client;
    private final List<Long> seqs = new CopyOnWriteArrayList<>();

    MqttProbe(String uri) throws MqttException {
        client = new MqttClient(uri, "probe-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        // Paho 1.2.5's subscribe(String, int, IMqttMessageListener) calls itself until the stack overflows: the array
        // form is the one that works.
        client.subscribe(new MqttSubscription[] {new MqttSubscription("#", 1)},
                         new IMqttMessageListener[] {(topic, message) -> seqs.add(seq(message.getProperties()))});
    }

    private static long seq(MqttProperties properties) {
        for (UserProperty p : properties.getUserProperties()) {
            if (p.getKey().equals("seq")) {
                return Long.parseLong(p.getValue());
            }
        }
        return -1;
    }

    /** Every message's seq, in arrival order (a message published twice is here twice). */
    List<Long> seqs() {
        return new ArrayList<>(seqs);
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
