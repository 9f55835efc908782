package io.alerthub.core.log;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

/**
 * The hub's durable, ordered record of accepted events. Every reader (history, resume, each plugin's lane)
 * reads it; only ingest appends. A single hub keeps it in segment files ({@link SegmentedEventLog}); a cluster
 * instance on a JetStream stream it copies into such files ({@code io.alerthub.core.cluster.JetStreamEventLog}).
 */
public interface EventLog extends AutoCloseable {

    /**
     * Numbers and writes a batch as one record: after a crash either all of it is there or none.
     * Readers do not see it before {@link #commit(long)}.
     *
     * @throws LogException when it cannot be written (the batch is then not in the log)
     */
    List<Event> write(List<EventDraft> drafts);

    /**
     * Makes everything written up to {@code seq} visible to readers and, before returning, durable under the
     * fsync policy. Readers do not wait for the fsync; concurrent commits share one.
     *
     * @throws LogException when the fsync fails
     */
    void commit(long seq);

    /**
     * How many numbers between {@code afterSeq} and {@code beforeSeq} (both excluded) were never given to an
     * event: numbering skips those that may have been shown before a machine crash lost them.
     */
    long unassigned(long afterSeq, long beforeSeq);

    /** {@link #write(List)} then {@link #commit(long)}. */
    default List<Event> append(List<EventDraft> drafts) {
        List<Event> events = write(drafts);
        if (!events.isEmpty()) {
            commit(events.getLast().seq());
        }
        return events;
    }

    /** The highest {@code seq} readers may see; 0 before the first event. */
    long headSeq();

    /** The oldest {@code seq} still stored (retention removes older ones); {@code headSeq() + 1} when empty. */
    long firstSeq();

    /**
     * Stored events with {@code seq > afterSeq}, oldest first, at most {@code max}. Starts at
     * {@link #firstSeq()} when {@code afterSeq} is older than what is stored.
     */
    List<Event> read(long afterSeq, int max);

    /**
     * Waits until an event with {@code seq > afterSeq} is visible, or the timeout passes.
     *
     * @return whether one is
     */
    boolean awaitAfter(long afterSeq, Duration timeout) throws InterruptedException;

    /**
     * Waits, at most {@code timeout}, until {@code seq} is visible when the log knows it exists but has not shown it
     * yet (a cluster instance copying the stream is a moment behind it); returns {@link #headSeq()} then. A log that
     * numbers its own events knows nothing beyond its head and returns at once.
     */
    default long awaitHead(long seq, Duration timeout) throws InterruptedException {
        return headSeq();
    }

    /** Calls {@code action} for stored events received at or after {@code since}, oldest first. */
    void forEachSince(Instant since, Consumer<Event> action);

    /** Removes what retention no longer keeps, now, on the calling thread; the log also does so by itself. */
    void enforceRetention();

    @Override
    void close();
}
