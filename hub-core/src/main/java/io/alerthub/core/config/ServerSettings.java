package io.alerthub.core.config;

import io.alerthub.spi.ConfigNode;

/**
 * {@code server}: where the hub listens.
 *
 * @param host the address to bind (loopback by default)
 * @param port the port; 0 picks a free one, logged at start
 */
public record ServerSettings(String host, int port) {

    public static ServerSettings create(ConfigNode c) {
        return new ServerSettings(c.string("host", "127.0.0.1"), c.integer("port", 8080, 0, 65_535));
    }
}
