package io.alerthub.spi;

import java.nio.file.Path;
import java.util.Set;

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

    /** The hub's meters, served at {@code /observe/metrics}. */
    Meters meters();

    /** The hub's token and JWT checks. */
    Authenticator authenticator();

    /**
     * Acknowledge a violation's alarm, exactly as {@code POST /api/v1/violations/{id}/ack} does with the same body
     * ({@code {"user":"operator1","reason":"Process adjusted","characteristic_id":1}}): the body is checked by the
     * same rules, and an {@code ack_update} event is logged and dispatched to every plugin. An alarm acknowledged
     * already keeps its first acknowledgement: nothing is logged, and that acknowledgement's {@code seq} is returned.
     *
     * @param violationId the violation, as text (a number when it is an integer)
     * @param body        the acknowledgement, JSON
     * @return the {@code seq} of the {@code ack_update} event (the first one, when it was acknowledged already)
     * @throws IllegalArgumentException when the body breaks a rule, or no alarm has that id (the message starts
     *                                  with the field it names: {@code violation_id: no alarm has ...})
     * @throws IllegalStateException    when the hub is shutting down
     */
    long acknowledge(String violationId, byte[] body);
}
