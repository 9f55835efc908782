package io.alerthub.spi;

import java.time.Duration;
import java.util.List;

/** The recent events the hub still holds, read from its event log. Safe to call from any thread. */
public interface EventHistory {

    /** The highest {@code seq} readers may see (0 before the first event). */
    long headSeq();

    /**
     * The lowest {@code seq} a reader may still reach: no older than {@code hub.history-size} events
     * behind the head, nor than what retention kept. {@code headSeq() + 1} when nothing is held.
     */
    long oldestSeq();

    /**
     * Events with {@code seq > afterSeq}, oldest first, at most {@code limit} of them, starting no earlier
     * than {@link #oldestSeq()} (compare to see whether some were missed).
     */
    List<Event> after(long afterSeq, int limit);

    /**
     * Waits, at most {@code timeout}, until {@code seq} is readable here when the hub knows that event exists but has
     * not made it readable yet: in cluster mode an instance may be a moment behind the one that gave a client its
     * {@code seq}. Returns {@link #headSeq()} then. A single hub knows nothing beyond its head and returns at once.
     */
    default long awaitHead(long seq, Duration timeout) throws InterruptedException {
        return headSeq();
    }
}
