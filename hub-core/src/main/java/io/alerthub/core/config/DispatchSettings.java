package io.alerthub.core.config;

import java.time.Duration;

import io.alerthub.spi.ConfigNode;

/**
 * {@code hub.dispatch}: how each plugin's lane retries and when its circuit breaker opens.
 *
 * @param retries          retries of a retryable failure before the event is counted failed
 * @param baseDelay        first backoff; each retry doubles it (full jitter: a random delay up to the value)
 * @param maxDelay         backoff cap
 * @param breakerThreshold consecutive failed attempts that open the breaker
 * @param breakerOpen      how long an open breaker pauses the lane before one trial delivery (half-open)
 * @param stallTimeout     a delivery running longer than this marks the plugin DEGRADED
 * @param batchSize        events a lane reads from the log at a time
 */
public record DispatchSettings(int retries, Duration baseDelay, Duration maxDelay, int breakerThreshold,
                               Duration breakerOpen, Duration stallTimeout, int batchSize) {

    public static DispatchSettings create(ConfigNode c) {
        Duration base = c.positiveDuration("base-delay", Duration.ofSeconds(1));
        Duration max = c.positiveDuration("max-delay", Duration.ofSeconds(30));
        if (max.compareTo(base) < 0) {
            throw c.error("max-delay", "must not be shorter than base-delay (" + base + ")");
        }
        return new DispatchSettings(
                c.integer("retries", 3, 0, 100),
                base,
                max,
                c.integer("breaker-threshold", 5, 1, 10_000),
                c.positiveDuration("breaker-open", Duration.ofSeconds(30)),
                c.positiveDuration("stall-timeout", Duration.ofSeconds(30)),
                c.integer("batch-size", 256, 1, 10_000));
    }
}
