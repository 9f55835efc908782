package io.alerthub.core.dispatch;

import java.time.Duration;

/**
 * The right to run one lane with side effects, for one hub instance at a time, with the lane's cursor stored beside
 * it in the engine (cluster mode: {@code io.alerthub.core.cluster.KvLaneLease}). Whoever holds it delivers; the others
 * wait. A holder that stops renewing it (dead, stalled, cut off from the engine) loses it to another instance, which
 * goes on from the stored cursor.
 */
public interface LaneLease {

    /**
     * The lease was granted.
     *
     * @param cursor the cursor stored with it: the last seq the lane's plugin was handed, or -1 for a lane that never
     *               ran (it starts at the log's head, as a new plugin does in a single hub)
     */
    record Grant(long cursor) {
    }

    /**
     * Waits, at most {@code wait}, to hold the lease.
     *
     * @return the grant, or {@code null} when another instance still holds it
     */
    Grant acquire(Duration wait) throws InterruptedException;

    /**
     * Whether this instance holds it now. Turns false as soon as it might not (its last renewal is too old for the
     * others' takeover timers to be sure it is still running): the lane delivers nothing more until it has it again.
     * Cheap, called before every delivery.
     */
    boolean held();

    /**
     * Stores the lane's cursor with the lease (which renews it too).
     *
     * @return whether it was stored: {@code false} when the lease was lost or the engine did not answer in time
     */
    boolean store(long cursor);

    /**
     * Gives the lease up for good, after a last {@link #store}, so another instance takes the lane over at once: this
     * instance stops (it watches the lease no more).
     */
    void release();

    /**
     * Gives the lease up and does not take it again for {@code pause}: this instance cannot run the lane now (its
     * plugin failed to start), another may.
     */
    void stepDown(Duration pause);

    /** The other instance last seen holding it; empty when none does (or this one holds it). */
    String holder();

    /** The cursor last stored or seen with it; -1 when none. */
    long storedCursor();
}
