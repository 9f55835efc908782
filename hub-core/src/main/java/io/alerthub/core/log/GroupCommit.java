package io.alerthub.core.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.alerthub.core.config.FsyncPolicy;

/**
 * When written records reach the disk, by the fsync policy.
 * <ul>
 *   <li>{@code batch}: {@link #awaitDurable(long)} returns once the record is forced. Concurrent callers share one
 *       fsync: whoever forces first takes everything written by then along, and the others find their record
 *       already durable (group commit). The caller is the producer's request, after the lanes were shown the
 *       record: a disk stall delays the {@code 202}, never delivery.</li>
 *   <li>{@code interval}: a flusher thread forces every {@code fsync-interval}.</li>
 *   <li>{@code none}: never forced; the OS writes when it likes.</li>
 * </ul>
 * Only the segment being written is forced: under {@code batch} and {@code interval} a segment is forced before the
 * next one starts ({@link #sealed(Segment)}).
 *
 * <p>The fsync runs on the committing thread. Forcing on a platform thread of its own, with the request's virtual
 * thread parked instead of holding a carrier through the fsync, was measured and not kept: no difference the noise
 * did not cover, and more code (performance.md, item 10).
 */
final class GroupCommit {

    /** The segment being written and the last seq written to it, taken together under the append lock. */
    record Written(Segment segment, long head) {
    }

    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());

    private final FsyncPolicy policy;
    private final Supplier<Written> written;
    private final Object syncLock = new Object();
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

    private void syncTo(long seq) {
        if (durableHead >= seq) {
            return;
        }
        synchronized (syncLock) {
            if (durableHead >= seq) {
                return;
            }
            Written now = written.get();
            try {
                now.segment().force();
            } catch (ClosedChannelException e) {
                // Retention may remove a segment as soon as the next one starts, and a segment is forced before
                // the next one starts: if another has started since, this one was on disk before it was closed.
                if (written.get().segment() == now.segment()) {
                    throw new LogException("cannot fsync the event log: it is closed", e);
                }
            } catch (IOException e) {
                throw new LogException("cannot fsync the event log: " + e.getMessage(), e);
            }
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
