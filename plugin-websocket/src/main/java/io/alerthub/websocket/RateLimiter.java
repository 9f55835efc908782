package io.alerthub.websocket;

/**
 * A token bucket: up to {@code burst} messages at once, refilled at {@code perSecond}. Used by one connection's
 * reader thread only.
 */
final class RateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(WebSocketSettings.RateLimit limit, long nowNanos) {
        this.perNano = limit.perSecond() / 1e9;
        this.burst = limit.burst();
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes one token; {@code false} when the bucket is empty (the client sends faster than allowed). */
    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
