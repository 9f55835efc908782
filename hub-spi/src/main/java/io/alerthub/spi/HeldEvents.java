package io.alerthub.spi;

/**
 * A notifier that keeps events after {@link Notifier#deliver(Event)} returned (a digest waiting for its
 * window, a publish waiting for the broker's acknowledgement). The hub never moves the plugin's durable
 * cursor past {@code oldestHeld() - 1}, so a restart hands held events to the notifier again.
 *
 * <p>The lane, on its own thread, in this order: it asks {@link #oldestHeld()}, saves its cursor at
 * {@code min(last delivered, oldestHeld() - 1)}, and then calls {@link #cursorSaved(long)} with what it saved. From
 * that call on, a restart begins after that {@code seq}: the notifier may forget what it kept to survive a restart
 * up to there (a journal of sent mails, say), and never before.
 */
public interface HeldEvents {

    /** The lowest {@code seq} still held, or {@link Long#MAX_VALUE} when nothing is held. Must not block. */
    long oldestHeld();

    /**
     * The lane's cursor is now durable at {@code seq}: after a restart, delivery begins at {@code seq + 1}. Called
     * on the lane's thread after each save (not when the cursor did not move); must not block.
     */
    default void cursorSaved(long seq) {
    }
}
