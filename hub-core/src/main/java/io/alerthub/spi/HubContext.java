package io.alerthub.spi;

import java.nio.file.Path;
import java.util.Set;

import io.helidon.metrics.api.MeterRegistry;

/** What the hub offers a plugin. */
public interface HubContext {

    /** The plugin's name ({@code plugins.<name>}). */
    String pluginName();

    /** A folder of the plugin's own under {@code hub.data-dir}, created on first use. */
    Path dataDir();

    /** Recent events, for resume and replay. */
    EventHistory history();

    /** Event types every WebSocket client receives whatever it subscribed to ({@code hub.broadcast-types}). */
    Set<String> broadcastTypes();

    /**
     * The hub's meter registry, served at {@code /observe/metrics}. Name the plugin's meters
     * {@code alerthub.<plugin>.*}: the hub removes every {@code alerthub.} meter when it stops.
     */
    MeterRegistry metrics();

    /** The hub's token and JWT checks. */
    Authenticator authenticator();

    /**
     * Acknowledge a violation, exactly as {@code POST /api/v1/violations/{id}/ack} does: an {@code ack_update}
     * event is validated, logged and dispatched to every plugin.
     *
     * @return the {@code seq} of the {@code ack_update} event
     * @throws IllegalArgumentException when a value breaks the event rules (the message names it)
     * @throws IllegalStateException    when the hub is shutting down
     */
    long acknowledge(ViolationAck ack);
}
