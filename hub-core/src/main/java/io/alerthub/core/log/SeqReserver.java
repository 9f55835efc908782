package io.alerthub.core.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.alerthub.core.config.FsyncPolicy;

/**
 * Keeps the durable {@link SeqReservation} ahead of what readers are shown, so that no {@code seq} a reader saw is
 * given to another event after a machine crash. Reservations are made {@link #BLOCK} numbers at a time by a
 * background thread, which starts on the next block when half of the current one is used: a commit waits for a
 * reservation only when it outruns the thread (or the disk stalls longer than half a block takes to fill).
 *
 * <p>With the {@code none} fsync policy nothing is reserved while the log runs (no promise is made); the file is
 * still read at open and written with the exact head at a clean stop.
 */
final class SeqReserver {

    /** Seqs reserved at a time; the next block is reserved in the background when half is used. */
    static final long BLOCK = 1 << 16;
    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());

    private final SeqReservation.Found found;
    private final boolean reserving;
    private final Object lock = new Object();
    private final Thread thread;
    /** {@code null} once closed. */
    private SeqReservation reservation;
    private LongSupplier writtenHead;
    private volatile long reservedDurable;
    private volatile boolean closed;
    private boolean failing;

    private SeqReserver(SeqReservation reservation, FsyncPolicy policy) {
        this.reservation = reservation;
        this.found = reservation.found();
        this.reserving = policy != FsyncPolicy.NONE;
        this.thread = reserving ? Thread.ofVirtual().name("event-log-reserve").unstarted(this::reserveLoop) : null;
    }

    /** Reads the reservation file in {@code dir} (creating it when there is none). */
    static SeqReserver open(Path dir, String bootId, FsyncPolicy policy) throws IOException {
        return new SeqReserver(SeqReservation.open(dir, bootId), policy);
    }

    /**
     * The last seq numbering must not give again: {@code head}, or, when the machine restarted while the hub ran
     * and the reservation reaches beyond {@code head}, the reservation (one log line).
     */
    long resumeAfter(long head) {
        if (found == null || found.reserved() <= head || found.thisBoot()) {
            return head;
        }
        long reserved = found.reserved();
        LOG.log(System.Logger.Level.WARNING, "event log: the machine restarted while the hub was running;"
                + " events up to seq " + reserved + " may have been shown before they were on disk, so"
                + " numbering goes on at " + (reserved + 1) + " (seq " + (head + 1) + ".." + reserved
                + " stay unused)");
        return reserved;
    }

    /**
     * Starts keeping the reservation ahead.
     *
     * @param head        the last seq numbered, after {@link #resumeAfter(long)}
     * @param writtenHead the last seq written, as it moves
     */
    void start(long head, LongSupplier writtenHead) {
        this.writtenHead = writtenHead;
        this.reservedDurable = found != null && found.thisBoot() ? Math.max(head, found.reserved()) : head;
        if (thread != null) {
            thread.start();
        }
    }

    /**
     * Returns once a durable reservation covers {@code seq}, which may then be shown to readers.
     *
     * @throws LogException when the reservation cannot be written
     */
    void cover(long seq) {
        if (!reserving) {
            return;
        }
        if (reservedDurable < seq) {
            reserveUpTo(seq + BLOCK);
        }
        if (reservedDurable - seq < BLOCK / 2) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Stops the thread and closes the file.
     *
     * @param record whether {@code head} is the exact last seq and everything up to it is on disk: it is then
     *               recorded, so the next boot numbers on without a gap
     */
    void close(long head, boolean record) {
        closed = true;
        // Woken, not interrupted: an interrupt during a FileChannel call would close the channel.
        LockSupport.unpark(thread);
        synchronized (lock) {
            if (reservation == null) {
                return;
            }
            try {
                if (record) {
                    reservation.write(head);
                }
                reservation.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: cannot record the final seq reservation: "
                        + e.getMessage());
            }
            reservation = null;
        }
    }

    /** Keeps at least half a block reserved ahead of the newest written seq, so commits do not wait for it. */
    private void reserveLoop() {
        while (!closed) {
            long head = writtenHead.getAsLong();
            if (reservedDurable - head >= BLOCK / 2) {
                LockSupport.park(this);
                continue;
            }
            try {
                reserveUpTo(head + BLOCK);
                if (failing) {
                    failing = false;
                    LOG.log(System.Logger.Level.INFO, "event log: the seq reservation is written again");
                }
            } catch (LogException e) {
                if (!failing && !closed) {
                    failing = true;
                    LOG.log(System.Logger.Level.WARNING, "event log: " + e.getMessage() + " (retrying every second)");
                }
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    private void reserveUpTo(long target) {
        synchronized (lock) {
            if (reservedDurable >= target) {
                return;
            }
            if (reservation == null) {
                throw new LogException("the event log is closed", null);
            }
            try {
                reservation.write(target);
            } catch (IOException e) {
                throw new LogException("cannot write the seq reservation: " + e.getMessage(), e);
            }
            reservedDurable = target;
        }
    }
}
