package io.alerthub.mqtt;

import java.util.concurrent.TimeUnit;

/**
 * One warning line per interval for a failure that can repeat per message (a device sending bad
 * acknowledgements, a broker refusing a topic), with the count of the lines it held back.
 */
final class LogThrottle {

    private final System.Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private long suppressed;

    LogThrottle(System.Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    synchronized void warn(String message) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " more like it since the last report)";
        log.log(System.Logger.Level.WARNING, message + more);
        logged = true;
        lastNanos = now;
        suppressed = 0;
    }
}
