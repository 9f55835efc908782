package io.alerthub.core.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Forces the cursors that moved, every interval, on a thread of its own: under the {@code batch} and {@code interval}
 * fsync policies a machine crash then sends a channel back at most about one interval, while its lane only ever writes to the page
 * cache (see {@link CursorStore}). One thread for all lanes, so a disk stall holds up this thread alone.
 */
final class CursorFlusher {

    private static final System.Logger LOG = System.getLogger(CursorFlusher.class.getName());

    private final List<CursorStore> stores = new CopyOnWriteArrayList<>();
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean closed;
    private boolean failing;

    CursorFlusher(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.thread = Thread.ofVirtual().name("cursor-fsync").unstarted(this::run);
    }

    void add(CursorStore store) {
        stores.add(store);
    }

    void start() {
        thread.start();
    }

    /** Forces every cursor that moved since it was last forced. */
    void forceDirty() {
        IOException failure = null;
        for (CursorStore store : stores) {
            try {
                store.forceIfDirty();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null && !failing) {
            LOG.log(System.Logger.Level.WARNING, "cannot force a cursor file to disk: " + failure.getMessage()
                    + " (trying again every interval)");
        } else if (failure == null && failing) {
            LOG.log(System.Logger.Level.INFO, "cursor files are forced to disk again");
        }
        failing = failure != null;
    }

    /**
     * Stops the thread, after a force under way. The stores are not forced here: each is forced as its lane
     * closes it.
     */
    void close() {
        closed = true;
        // Woken, not interrupted: an interrupt during a FileChannel call would close the channel.
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(this, intervalNanos);
            if (!closed) {
                forceDirty();
            }
        }
    }
}
