package io.alerthub.spi;

import java.util.Map;

/**
 * One delivery channel. The hub gives it events one at a time, in {@code seq} order, from a lane
 * (a virtual thread) of its own; a notifier that blocks or fails only holds up its own lane.
 *
 * <p>Optional abilities are extra interfaces a notifier may also implement:
 * {@link RouteContributor} (adds HTTP or WebSocket routes), {@link HeldEvents} (keeps events after
 * {@code deliver} returned, e.g. for a digest, and says when they are safe) and {@link LocalDelivery} (delivers only
 * to this hub instance's own clients, so in cluster mode it runs on every instance).
 */
public interface Notifier extends AutoCloseable {

    /**
     * Called once after the web server is up, before the first delivery. Open connections here
     * (never in {@link NotifierProvider#create}). A channel that is away is not an error: report it
     * through {@link #health()} and let {@link #deliver(Event)} throw {@link DeliveryException#unavailable}.
     */
    default void start() {
    }

    /**
     * Deliver one event. Return only when the channel has taken it (or the notifier holds it, see
     * {@link HeldEvents}). Throw {@link DeliveryException} to say how it failed; never retry inside.
     */
    void deliver(Event event) throws DeliveryException;

    /**
     * Events {@code fromSeq..toSeq} will never reach this notifier: they were removed (by retention, or in cluster
     * mode by the stream's) before its lane read them. Called on the lane's thread, before the next event is
     * delivered. A channel whose clients track {@code seq} tells them (the WebSocket plugin sends
     * {@code replay_gap}); the default does nothing, as the lane already counts and logs the skip.
     */
    default void skipped(long fromSeq, long toSeq) {
    }

    /** The channel's state, asked for by health checks and {@code GET /api/v1/plugins}; must not block. */
    default Health health() {
        return Health.up();
    }

    /** Extra facts for the plugin's entry in {@code GET /api/v1/plugins} (counts, not dumps); must not block. */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** Release connections and threads. Called once, after the lane has stopped. */
    @Override
    default void close() {
    }
}
