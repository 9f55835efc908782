package io.alerthub.spi;

/**
 * Creates a {@link Notifier}. Listed in {@code META-INF/services/io.alerthub.spi.NotifierProvider}
 * and found with {@link java.util.ServiceLoader}, on the class path or in a {@code plugins/<name>/} folder.
 */
public interface NotifierProvider {

    /** The plugin's name: its key under {@code plugins:} in the configuration ({@code websocket}, {@code mqtt}). */
    String type();

    /** Whether the plugin runs when the configuration does not say {@code enabled}. */
    default boolean enabledByDefault() {
        return true;
    }

    /**
     * Read and check the plugin's settings and build the notifier, without I/O or threads: the hub also
     * calls this for disabled plugins, to check their configuration, and then discards the result.
     * Every bad value must fail with {@link ConfigNode#error(String, String)}, which names the key; keys the
     * plugin did not read are refused by the hub afterwards.
     *
     * @param config the plugin's section, {@code plugins.<type>} ({@code enabled} is the hub's)
     * @param hub    what the hub offers its plugins
     */
    Notifier create(ConfigNode config, HubContext hub);
}
