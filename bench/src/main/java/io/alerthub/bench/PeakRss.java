package io.alerthub.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The highest resident set of a process while it is watched (read from {@code /proc} every 250 ms). */
final class PeakRss implements AutoCloseable {

    private final AtomicLong peak;
    private final Thread watch;

    private PeakRss(long pid) {
        peak = new AtomicLong(ProcStats.rssBytes(pid));
        watch = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ProcStats.rssBytes(pid), Math::max);
                try {
                    TimeUnit.MILLISECONDS.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static PeakRss watch(long pid) {
        return new PeakRss(pid);
    }

    /** The highest so far, in MB. */
    double mb() {
        return peak.get() / 1048576.0;
    }

    /** Stops watching; {@link #mb} keeps the highest seen. */
    @Override
    public void close() {
        watch.interrupt();
    }
}
