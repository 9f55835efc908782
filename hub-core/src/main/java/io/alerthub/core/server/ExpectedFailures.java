package io.alerthub.core.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures that are part of normal operation (a client that drops mid-request, a reset under a write) are counted
 * and logged as one line a minute at the most, never as a stack trace each: 9,000 aborted clients once made
 * ~153,000 lines of log.
 */
public final class ExpectedFailures {

    private static final long EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final System.Logger log;
    private final String what;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sinceLastLine = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - EVERY_NANOS);

    public ExpectedFailures(System.Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Whether {@code t} says the client went away: an I/O failure of its connection, anywhere in the causes. */
    public static boolean clientGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException
                    || c.getClass().getSimpleName().equals("InsufficientDataAvailableException")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** Counts one; logs a line (with the count since the last one) when a minute has passed. */
    public void record(Throwable t) {
        count.incrementAndGet();
        long n = sinceLastLine.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last >= EVERY_NANOS && lastLine.compareAndSet(last, now)) {
            sinceLastLine.addAndGet(-n);
            log.log(System.Logger.Level.INFO, n + " " + what + " in the last minute or so (" + count.get()
                    + " since start; the latest: " + t + ")");
        }
    }

    public long count() {
        return count.get();
    }
}
