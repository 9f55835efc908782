package io.alerthub.mqtt;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * The MQTT channel ({@code plugins.mqtt}): publishes every event to an MQTT 5 broker, and optionally takes
 * violation acknowledgements from devices. Off unless {@code plugins.mqtt.enabled} is true.
 */
public final class MqttNotifierProvider implements NotifierProvider {

    @Override
    public String type() {
        return "mqtt";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        return new MqttNotifier(MqttSettings.create(config), hub);
    }
}
