package io.alerthub.core.dispatch;

import io.alerthub.spi.Backoff;

/**
 * How a lane retries: a retryable failure up to {@code retries} times, waiting the hub's one {@link Backoff}
 * (exponential, full jitter) before each attempt, so lanes that failed together do not retry together.
 *
 * @param retries retries of a retryable failure before the event is counted failed
 * @param backoff the wait before each retry
 */
record RetryPolicy(int retries, Backoff backoff) {
}
