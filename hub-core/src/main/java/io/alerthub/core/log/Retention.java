package io.alerthub.core.log;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.LongSupplier;

import io.alerthub.core.config.LogSettings;

/**
 * Removes whole segments, oldest first and never the one being written, once they hold only events beyond
 * {@code retention-events} or older than {@code retention-age}. The segment map's write lock is held only to take
 * a segment out, not while its file goes.
 */
final class Retention {

    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());

    private final Segments segments;
    private final LongSupplier head;
    private final LogSettings settings;
    private final Clock clock;

    /**
     * @param head the newest seq readers may see
     */
    Retention(Segments segments, LongSupplier head, LogSettings settings, Clock clock) {
        this.segments = segments;
        this.head = head;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Removes what retention no longer keeps, on the calling thread. One caller at a time, so that when it returns
     * every removal it saw under way has also deleted its file.
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
}
