package io.alerthub.spi;

/**
 * A notifier that keeps events after {@link Notifier#deliver(Event)} returned (a digest waiting for its
 * window, a publish waiting for the broker's acknowledgement). The hub never moves the plugin's durable
 * cursor past {@code oldestHeld() - 1}, so a restart hands held events to the notifier again.
 */
public interface HeldEvents {

    /** The lowest {@code seq} still held, or {@link Long#MAX_VALUE} when nothing is held. Must not block. */
    long oldestHeld();
}
