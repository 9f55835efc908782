package io.alerthub.core.dispatch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1-based) the lane waits a random time
 * between zero and {@code min(max, base × 2^(n-1))}, so lanes that failed together do not retry together.
 *
 * @param retries retries of a retryable failure before the event is counted failed
 * @param base    the first ceiling
 * @param max     the largest ceiling
 */
record RetryPolicy(int retries, Duration base, Duration max) {

    /** The ceiling of the wait before retry {@code attempt}. */
    Duration ceiling(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long nanos = base.toNanos();
        long ceiling = nanos > (max.toNanos() >> shift) ? max.toNanos() : nanos << shift;
        return Duration.ofNanos(Math.min(ceiling, max.toNanos()));
    }

    /** A random wait in {@code [0, ceiling(attempt)]}. */
    Duration backoff(int attempt) {
        long ceiling = ceiling(attempt).toNanos();
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
