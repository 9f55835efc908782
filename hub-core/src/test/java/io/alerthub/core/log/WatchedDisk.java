package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk whose fsyncs of records a test watches, and may hold: for the event log's segment files, installed through
 * the log's {@link LogFiles} seam. It knows how far the records written reach, and how far the fsyncs that ended
 * cover (what had been written when each started). While {@linkplain #hold() held}, an fsync waits until the test
 * {@linkplain #release() releases} it.
 *
 * <p>Only the fsyncs of records ({@code force(false)}) are watched; a new segment's {@code force(true)} is not.
 */
final class WatchedDisk implements AutoCloseable {

    /** How long a held fsync waits for the test before it fails (a test that forgot it). */
    private static final long HOLD_SECONDS = 30;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong durable = new AtomicLong();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final ThreadLocal<Long> lastWriteEnd = ThreadLocal.withInitial(() -> 0L);
    private final Semaphore releases = new Semaphore(0);
    private volatile boolean held;

    private WatchedDisk() {
    }

    /** Installs it: every segment file opened from now on goes through it (one segment at a time, as a test uses). */
    static WatchedDisk install() {
        WatchedDisk disk = new WatchedDisk();
        LogFiles.use((path, options) -> new Channel(FileChannel.open(path, options), disk));
        return disk;
    }

    /** From now on every fsync waits for a {@link #release()}. */
    void hold() {
        held = true;
    }

    /** Lets one held fsync (the one waiting, or the next) go on. */
    void release() {
        releases.release();
    }

    /** Stops holding fsyncs, and lets those waiting go on. */
    void stopHolding() {
        held = false;
        releases.release(Integer.MAX_VALUE / 2);
    }

    /** fsyncs of records started so far. */
    int fsyncsStarted() {
        return started.get();
    }

    /** Writes to segment files so far. */
    int writes() {
        return writes.get();
    }

    /** Where the records written so far end in the segment file. */
    long writtenEnd() {
        return written.get();
    }

    /** Where the last record this thread wrote ends in the segment file. */
    long lastWriteEndOfThisThread() {
        return lastWriteEnd.get();
    }

    /** How far the fsyncs that ended cover the segment file: what had been written when the latest of them started. */
    long durableEnd() {
        return durable.get();
    }

    @Override
    public void close() {
        stopHolding();
        LogFiles.use(LogFiles.SYSTEM);
    }

    private static final class Channel extends ForwardingFileChannel {
        private final WatchedDisk disk;

        Channel(FileChannel ch, WatchedDisk disk) {
            super(ch);
            this.disk = disk;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int n = super.write(src, position);
            disk.written.accumulateAndGet(position + n, Math::max);
            disk.lastWriteEnd.set(position + n);
            disk.writes.incrementAndGet();
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (metaData) {
                super.force(true);
                return;
            }
            long covers = disk.written.get();
            disk.started.incrementAndGet();
            try {
                if (disk.held && !disk.releases.tryAcquire(HOLD_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the test held this fsync for " + HOLD_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
            super.force(false);
            disk.durable.accumulateAndGet(covers, Math::max);
        }
    }
}
