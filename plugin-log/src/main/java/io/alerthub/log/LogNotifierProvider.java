package io.alerthub.log;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.NotifierProvider;

/**
 * The {@code log} plugin: writes one line per matching event to the hub's log. The smallest complete
 * plugin, and the example of docs/plugin-guide.md.
 */
public final class LogNotifierProvider implements NotifierProvider {

    @Override
    public String type() {
        return "log";
    }

    @Override
    public boolean enabledByDefault() {
        return false;
    }

    @Override
    public Notifier create(ConfigNode config, HubContext hub) {
        return new LogNotifier(LogSettings.create(config));
    }
}
