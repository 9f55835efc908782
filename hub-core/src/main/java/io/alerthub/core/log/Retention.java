package io.alerthub.core.log;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.alerthub.core.config.LogSettings;

/**
 * Removes whole segments, oldest first and never the one being written, once they hold only events beyond
 * {@code retention-events} or older than {@code retention-age}. It runs on a thread of its own, woken when a segment
 * rolls and every {@link #PERIOD}, so that an append never waits for a file to be deleted and the segment map's
 * write lock is held only to take a segment out, not while its file goes.
 */
final class Retention {

    /** How often retention looks without being woken: age-based removal needs no roll to become due. */
    static final Duration PERIOD = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());

    private final Segments segments;
    private final LongSupplier head;
    private final LogSettings settings;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param head    the newest seq readers may see
     * @param threads makes the one thread retention runs on
     */
    Retention(Segments segments, LongSupplier head, LogSettings settings, Clock clock, ThreadFactory threads) {
        this.segments = segments;
        this.head = head;
        this.settings = settings;
        this.clock = clock;
        this.thread = threads.newThread(this::run);
    }

    /** A thread factory for {@link Retention}'s thread as the log runs it. */
    static ThreadFactory threads() {
        return Thread.ofVirtual().name("event-log-retention").factory();
    }

    void start() {
        thread.start();
    }

    /** Asks the thread to look now (a segment rolled); returns at once. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /**
     * Removes what retention no longer keeps, on the calling thread. One caller at a time, so that when it returns
     * every removal it saw under way, its own thread's too, has also deleted its file.
     */
    synchronized void enforce() {
        long newest = head.getAsLong();
        long oldestMillis = clock.millis() - settings.retentionAge().toMillis();
        while (true) {
            Segment gone = segments.removeOldestIf(s -> newest - s.lastSeq >= settings.retentionEvents()
                    || s.lastReceivedMillis < oldestMillis);
            if (gone == null) {
                return;
            }
            gone.closeQuietly();
            try {
                Files.deleteIfExists(gone.path);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: cannot remove an old segment: " + e.getMessage());
                return;
            }
            LOG.log(System.Logger.Level.INFO, "event log: removed segment " + gone.path.getFileName()
                    + " (events " + gone.firstSeq + ".." + gone.lastSeq + ") by retention ("
                    + (newest - gone.lastSeq >= settings.retentionEvents() ? "retention-events" : "retention-age") + ")");
        }
    }

    /** Stops the thread; a removal under way finishes first. */
    void close() {
        closed = true;
        // Woken, not interrupted: an interrupt during a FileChannel call would close the channel.
        LockSupport.unpark(thread);
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long periodNanos = PERIOD.toNanos();
        while (!closed) {
            LockSupport.parkNanos(this, periodNanos);
            if (closed) {
                return;
            }
            try {
                enforce();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event log retention failed: " + e.getMessage());
            }
        }
    }
}
