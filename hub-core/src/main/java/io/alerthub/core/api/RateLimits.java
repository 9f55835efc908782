package io.alerthub.core.api;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.alerthub.core.config.SecuritySettings;

import io.helidon.http.Status;

/**
 * {@code security.rate-limits}: one token bucket per publisher (its token, or its client address while security is
 * off), counting events (a batch of 100 costs 100). Each bucket has its own lock, so one publisher over its rate never
 * waits on, or slows, another. Buckets of publishers gone quiet (full again) are dropped when the map grows large.
 */
final class RateLimits {

    private static final int SWEEP_ABOVE = 10_000;

    private final double perNano;
    private final long burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(SecuritySettings.RateLimit limit) {
        this.perNano = limit.eventsPerSecond() / 1e9;
        this.burst = limit.burst();
    }

    /**
     * Takes {@code events} from {@code publisher}'s bucket.
     *
     * @throws ApiException 429 with {@code Retry-After} when the bucket does not hold them
     */
    void take(String publisher, int events) {
        if (events > burst) {
            throw new ApiException(Status.TOO_MANY_REQUESTS_429, "rate_limited", "a request of " + events
                    + " events is more than the rate limit's burst of " + burst + "; send smaller batches", null, 1);
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(publisher, k -> new Bucket(burst, now));
        double wait = b.take(events, now, perNano, burst);
        if (wait > 0) {
            throw new ApiException(Status.TOO_MANY_REQUESTS_429, "rate_limited", "over the rate limit of "
                    + Math.round(perNano * 1e9) + " events per second; retry later", null,
                                   (int) Math.max(1, Math.ceil(wait / 1e9)));
        }
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().full(now, perNano, burst)) {
                it.remove();
            }
        }
    }

    /** Tokens and when they were last counted. */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(long burst, long now) {
            this.tokens = burst;
            this.at = now;
        }

        /** Takes {@code n}; returns 0, or the nanoseconds until {@code n} would be there (nothing taken). */
        synchronized double take(int n, long now, double perNano, long burst) {
            refill(now, perNano, burst);
            if (tokens >= n) {
                tokens -= n;
                return 0;
            }
            return (n - tokens) / perNano;
        }

        synchronized boolean full(long now, double perNano, long burst) {
            refill(now, perNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perNano, long burst) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
        }
    }
}
