package io.alerthub.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * A delivery that did not happen. The notifier says what kind of failure it was; the hub decides
 * what to do about it (notifiers never retry inside {@link Notifier#deliver(Event)}).
 */
public final class DeliveryException extends Exception {

    /** How the hub treats the failure. */
    public enum Kind {
        /** This attempt failed but another may succeed (a 4xx from SMTP, a timeout): retried with backoff, then counted failed. */
        RETRYABLE,
        /** This event can never be delivered (a rejected recipient, a payload the channel refuses): counted failed at once. */
        PERMANENT,
        /**
         * The channel itself is away (broker or server unreachable). The event is not at fault: the lane
         * keeps it and tries again with backoff for as long as it takes, so nothing is dropped.
         */
        UNAVAILABLE
    }

    private final Kind kind;
    private final Duration retryAfter;

    private DeliveryException(Kind kind, String message, Throwable cause, Duration retryAfter) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    private DeliveryException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    public static DeliveryException retryable(String message) {
        return new DeliveryException(Kind.RETRYABLE, message, null);
    }

    public static DeliveryException retryable(String message, Throwable cause) {
        return new DeliveryException(Kind.RETRYABLE, message, cause);
    }

    public static DeliveryException permanent(String message) {
        return new DeliveryException(Kind.PERMANENT, message, null);
    }

    public static DeliveryException permanent(String message, Throwable cause) {
        return new DeliveryException(Kind.PERMANENT, message, cause);
    }

    public static DeliveryException unavailable(String message) {
        return new DeliveryException(Kind.UNAVAILABLE, message, null);
    }

    public static DeliveryException unavailable(String message, Throwable cause) {
        return new DeliveryException(Kind.UNAVAILABLE, message, cause);
    }

    /**
     * The channel is away and said when to come back (an HTTP {@code 429} or {@code 503} with {@code Retry-After}):
     * kept like {@link #unavailable(String)}, and the next attempt waits at least {@code retryAfter}.
     */
    public static DeliveryException unavailable(String message, Duration retryAfter) {
        return new DeliveryException(Kind.UNAVAILABLE, message, null, retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** How long the channel asked the hub to wait before the next attempt, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
