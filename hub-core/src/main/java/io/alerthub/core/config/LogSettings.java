package io.alerthub.core.config;

import java.time.Duration;

import io.alerthub.spi.ConfigNode;

/**
 * {@code hub.log}: the durable event log.
 *
 * @param fsync            when writes are forced to disk; {@code interval} by default (docs/operations.md,
 *                         <em>Durability</em>: a process crash loses nothing, and a producer posting one request at
 *                         a time is not held up by the disk; {@code batch} for power-loss durability per 202)
 * @param fsyncInterval    how often, for {@link FsyncPolicy#INTERVAL}
 * @param retentionEvents  the most events kept
 * @param retentionAge     how long events are kept
 * @param segmentBytes     the size at which a new segment file is started; retention removes whole segments
 */
public record LogSettings(FsyncPolicy fsync, Duration fsyncInterval, long retentionEvents, Duration retentionAge,
                          long segmentBytes) {

    public static LogSettings create(ConfigNode c) {
        return new LogSettings(
                c.enumValue("fsync", FsyncPolicy.class, FsyncPolicy.INTERVAL),
                c.positiveDuration("fsync-interval", Duration.ofMillis(100)),
                c.longValue("retention-events", 1_000_000, 1, Long.MAX_VALUE),
                c.positiveDuration("retention-age", Duration.ofDays(7)),
                c.longValue("segment-bytes", 64L << 20, 4096, 1L << 30));
    }
}
