package io.alerthub.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.EventHistory;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Meters;

/** What one plugin sees of the hub. */
final class PluginContext implements HubContext {

    private final String name;
    private final Path dataDir;
    private final EventHistory history;
    private final Set<String> broadcastTypes;
    private final Authenticator authenticator;
    private final Meters meters;
    private final Acknowledger acknowledger;

    /** What acknowledges a violation for a plugin. */
    interface Acknowledger {
        long acknowledge(String violationId, byte[] body);
    }

    PluginContext(String name, Path pluginsDataDir, EventHistory history, Set<String> broadcastTypes,
                  Authenticator authenticator, Meters meters, Acknowledger acknowledger) {
        this.name = name;
        this.dataDir = pluginsDataDir.resolve(name);
        this.history = history;
        this.broadcastTypes = broadcastTypes;
        this.authenticator = authenticator;
        this.meters = meters;
        this.acknowledger = acknowledger;
    }

    @Override
    public String pluginName() {
        return name;
    }

    @Override
    public Path dataDir() {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
    }

    @Override
    public EventHistory history() {
        return history;
    }

    @Override
    public Set<String> broadcastTypes() {
        return broadcastTypes;
    }

    @Override
    public Meters meters() {
        return meters;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public long acknowledge(String violationId, byte[] body) {
        return acknowledger.acknowledge(violationId, body);
    }
}
