package io.alerthub.spi;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before attempt {@code n} (1-based) the wait is a random time between zero and
 * {@code min(max, base × 2^(n-1))}, so that lanes, connections or clients that failed together do not retry together
 * (AWS's "Exponential Backoff and Jitter"). The one backoff of the hub: its lanes' retries use it, and so do plugins
 * that reconnect to their channel.
 *
 * @param base the first ceiling
 * @param max  the largest ceiling
 */
public record Backoff(Duration base, Duration max) {

    public Backoff {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base must be longer than zero");
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max must not be shorter than base");
        }
    }

    /** The ceiling of the wait before attempt {@code attempt}. */
    public Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long maxNanos = max.toNanos();
        long nanos = base.toNanos();
        return Duration.ofNanos(nanos > (maxNanos >> shift) ? maxNanos : nanos << shift);
    }

    /** A random wait in {@code [0, ceiling(attempt)]}. */
    public Duration delay(int attempt) {
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling(attempt).toNanos() + 1));
    }
}
