package io.alerthub.core.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.alerthub.core.config.FsyncPolicy;

/**
 * When written records reach the disk, by the fsync policy.
 * <ul>
 *   <li>{@code batch}: {@link #awaitDurable(long)} returns once the record is forced. Concurrent callers share one
 *       fsync (group commit), one at a time: when none is under way, the caller forces at once, everything written
 *       by then; a caller whose record the fsync under way covers waits for it; any other waits for the next one,
 *       which the first of them forces, together with everything written meanwhile, as soon as the one under way
 *       ends. Each caller is woken once, by the end of the fsync that covers its record. The caller is the
 *       producer's request, after the lanes were shown the record: a disk stall delays the {@code 202}, never
 *       delivery.</li>
 *   <li>{@code interval}: a flusher thread forces every {@code fsync-interval}.</li>
 *   <li>{@code none}: never forced; the OS writes when it likes.</li>
 * </ul>
 * Only the segment being written is forced: under {@code batch} and {@code interval} a segment is forced before the
 * next one starts ({@link #sealed(Segment)}).
 *
 * <p>The fsync runs on the leader's thread. Forcing on a platform thread of its own, with the request's virtual
 * thread parked instead of holding a carrier through the fsync, was measured and not kept: no difference the noise
 * did not cover, and more code (performance.md, item 10). Callers wait for the end of an fsync, not for a lock
 * held through it: with a lock, a caller whose record was already forced could queue behind the next caller's
 * fsync, and the callers of one fsync went out one lock hand-off after another (performance.md, item 12).
 */
final class GroupCommit {

    /** The segment being written and the last seq written to it, taken together under the append lock. */
    record Written(Segment segment, long head) {
    }

    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());

    private final FsyncPolicy policy;
    private final Supplier<Written> written;
    /** Guards {@link #current} and {@link #next}; never held through an fsync. */
    private final ReentrantLock rounds = new ReentrantLock();
    /** The fsync under way or about to start; {@code null} when there is none. */
    private Round current;
    /** The fsync that starts when {@link #current} ends, for what was written after it started; or {@code null}. */
    private Round next;
    private final LongAdder forces = new LongAdder();
    private final Thread flusher;
    private final long intervalNanos;
    private volatile long durableHead;
    private volatile boolean closed;

    /**
     * @param written     what has been written, taken under the append lock
     * @param durableHead the last seq already on disk
     */
    GroupCommit(FsyncPolicy policy, Duration interval, Supplier<Written> written, long durableHead) {
        this.policy = policy;
        this.written = written;
        this.durableHead = durableHead;
        this.intervalNanos = interval.toNanos();
        this.flusher = policy == FsyncPolicy.INTERVAL
                ? Thread.ofVirtual().name("event-log-fsync").unstarted(this::flushLoop)
                : null;
    }

    void start() {
        if (flusher != null) {
            flusher.start();
        }
    }

    /**
     * Returns once {@code seq} is as durable as the policy promises the producer.
     *
     * @throws LogException when the fsync fails
     */
    void awaitDurable(long seq) {
        if (policy == FsyncPolicy.BATCH) {
            syncTo(seq);
        }
    }

    /** Called under the append lock before the next segment starts: {@code segment} will not be written again. */
    void sealed(Segment segment) throws IOException {
        if (policy != FsyncPolicy.NONE) {
            segment.force();
            forces.increment();
        }
    }

    /**
     * Stops the flusher and forces the segment being written a last time (unless the policy is {@code none}).
     *
     * @return whether everything written is on disk as the policy promises
     */
    boolean close() {
        closed = true;
        // Woken, not interrupted: an interrupt during a FileChannel call would close the channel.
        LockSupport.unpark(flusher);
        if (policy == FsyncPolicy.NONE) {
            return true;
        }
        try {
            written.get().segment().force();
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "event log: final fsync failed: " + e.getMessage());
            return false;
        }
    }

    /** The fsyncs of records done so far (the segment being written, and each sealed before the next started). */
    long forces() {
        return forces.sum();
    }

    /**
     * One fsync: it covers what was written when it started, and its callers wait for it to end. Its leader (the
     * caller that made it) forces; the others only wait, so each caller is woken once, by the fsync that covers
     * its record.
     */
    private static final class Round {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        /** The last seq written when the fsync started; -1 until then (it will cover whatever is written by then). */
        long head = -1;
    }

    /**
     * Returns once an fsync that started after {@code seq} was written has ended. When none is under way the
     * caller forces at once; when one is under way that covers {@code seq}, the caller waits for it; else the caller
     * waits for the next one, which the first such caller forces as soon as the one under way has ended.
     */
    private void syncTo(long seq) {
        while (durableHead < seq) {
            Round round;
            Round before = null;
            boolean lead = false;
            rounds.lock();
            try {
                if (durableHead >= seq) {
                    return;
                }
                if (current == null) {
                    current = round = new Round();
                    lead = true;
                } else if (current.head < 0 || current.head >= seq) {
                    round = current;
                } else {
                    if (next == null) {
                        next = new Round();
                        before = current;
                        lead = true;
                    }
                    round = next;
                }
            } finally {
                rounds.unlock();
            }
            if (lead) {
                if (before != null) {
                    before.ended.join();
                }
                lead(round);
            } else {
                // A round that ends without covering seq failed: the loop tries again.
                round.ended.join();
            }
        }
    }

    /** Forces {@code round}, the current one by now, then makes the next one current and wakes its own callers. */
    private void lead(Round round) {
        Written now;
        rounds.lock();
        try {
            now = written.get();
            round.head = now.head();
        } finally {
            rounds.unlock();
        }
        try {
            force(now);
        } finally {
            rounds.lock();
            try {
                current = next;
                next = null;
            } finally {
                rounds.unlock();
            }
            round.ended.complete(null);
        }
    }

    /** Forces what {@code now} holds and moves the durable head to it. */
    private void force(Written now) {
        try {
            now.segment().force();
            forces.increment();
        } catch (ClosedChannelException e) {
            // Retention may remove a segment as soon as the next one starts, and a segment is forced before
            // the next one starts: if another has started since, this one was on disk before it was closed.
            if (written.get().segment() == now.segment()) {
                throw new LogException("cannot fsync the event log: it is closed", e);
            }
        } catch (IOException e) {
            throw new LogException("cannot fsync the event log: " + e.getMessage(), e);
        }
        if (now.head() > durableHead) {
            durableHead = now.head();
        }
    }

    private void flushLoop() {
        while (!closed) {
            LockSupport.parkNanos(this, intervalNanos);
            if (closed) {
                return;
            }
            try {
                syncTo(written.get().head());
            } catch (LogException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: " + e.getMessage());
            }
        }
    }
}
