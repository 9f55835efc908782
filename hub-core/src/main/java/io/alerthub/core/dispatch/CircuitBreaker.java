package io.alerthub.core.dispatch;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A lane's circuit breaker. CLOSED: deliveries flow. After {@code threshold} consecutive failed attempts
 * it OPENs and the lane pauses for {@code openFor}; then HALF_OPEN lets one trial delivery through, which
 * closes it on success or opens it again on failure.
 */
final class CircuitBreaker {

    /** Breaker states. */
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told about every change of state, for the one log line it deserves. */
    interface Listener {
        void changed(State from, State to, String lastFailure);
    }

    private final int threshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private String lastFailure = "";

    CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock, Listener listener) {
        this.threshold = threshold;
        this.openNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    synchronized State state() {
        return state;
    }

    synchronized String lastFailure() {
        return lastFailure;
    }

    /** How long the lane must still wait before it may try; zero when it may try now (moving OPEN to HALF_OPEN). */
    synchronized long waitNanos() {
        if (state != State.OPEN) {
            return 0;
        }
        long left = openedAt + openNanos - nanoClock.getAsLong();
        if (left > 0) {
            return left;
        }
        transition(State.HALF_OPEN);
        return 0;
    }

    synchronized void onSuccess() {
        consecutiveFailures = 0;
        if (state != State.CLOSED) {
            transition(State.CLOSED);
        }
    }

    synchronized void onFailure(String reason) {
        lastFailure = reason;
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            openedAt = nanoClock.getAsLong();
            transition(State.OPEN);
        }
    }

    private void transition(State to) {
        State from = state;
        state = to;
        listener.changed(from, to, lastFailure);
    }
}
