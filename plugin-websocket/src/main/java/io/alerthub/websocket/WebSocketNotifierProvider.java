package io.alerthub.websocket;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * The WebSocket plugin ({@code plugins.websocket}): live events for dashboards on {@code /ws}, and OpenSPC's
 * {@code /ws/samples} dialect when enabled. Found by {@link java.util.ServiceLoader}.
 */
public final class WebSocketNotifierProvider implements NotifierProvider {

    @Override
    public String type() {
        return "websocket";
    }

    @Override
    public boolean enabledByDefault() {
        return true;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        return new WebSocketNotifier(WebSocketSettings.create(config), hub);
    }
}
