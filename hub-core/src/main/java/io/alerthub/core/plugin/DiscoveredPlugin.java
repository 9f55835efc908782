package io.alerthub.core.plugin;

import io.alerthub.spi.NotifierProvider;

/**
 * A plugin found by {@link PluginDiscovery}.
 *
 * @param provider the provider
 * @param source   where it came from: its jar on the class path, or its {@code plugins/<name>} folder
 */
public record DiscoveredPlugin(NotifierProvider provider, String source) {

    public String name() {
        return provider.type();
    }
}
