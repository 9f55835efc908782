package io.alerthub.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.ToLongFunction;

import io.alerthub.spi.Authenticator;
import io.alerthub.spi.EventHistory;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.ViolationAck;

import io.helidon.metrics.api.MeterRegistry;

/** What one plugin sees of the hub. */
final class PluginContext implements HubContext {

    private final String name;
    private final Path dataDir;
    private final EventHistory history;
    private final Set<String> broadcastTypes;
    private final Authenticator authenticator;
    private final MeterRegistry metrics;
    private final ToLongFunction<ViolationAck> acknowledge;

    PluginContext(String name, Path pluginsDataDir, EventHistory history, Set<String> broadcastTypes,
                  Authenticator authenticator, MeterRegistry metrics, ToLongFunction<ViolationAck> acknowledge) {
        this.name = name;
        this.dataDir = pluginsDataDir.resolve(name);
        this.history = history;
        this.broadcastTypes = broadcastTypes;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.acknowledge = acknowledge;
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
    public MeterRegistry metrics() {
        return metrics;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public long acknowledge(ViolationAck ack) {
        return acknowledge.applyAsLong(ack);
    }
}
