package io.alerthub.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The topics a scenario publishes to ({@code characteristic:1..n}) and, per topic, the publisher's sequence
 * ({@code pseq}), how many events the server accepted, and the highest {@code pseq} it accepted. Each topic is
 * published by one connection only, in order, so per topic the server accepts events in {@code pseq} order.
 */
final class Topics {

    private final int count;
    private final AtomicLongArray sent;
    private final AtomicLongArray accepted;
    private final AtomicLongArray lastAccepted;

    Topics(int count) {
        this.count = count;
        this.sent = new AtomicLongArray(count);
        this.accepted = new AtomicLongArray(count);
        this.lastAccepted = new AtomicLongArray(count);
    }

    int count() {
        return count;
    }

    /** Topic index {@code i} (0-based) is characteristic {@code i + 1}. */
    static int characteristic(int index) {
        return index + 1;
    }

    /** The pseq of the next event sent on this topic. */
    long next(int index) {
        return sent.incrementAndGet(index);
    }

    /** The server accepted the event carrying {@code pseq}. */
    void accepted(int index, long pseq) {
        accepted.incrementAndGet(index);
        lastAccepted.accumulateAndGet(index, pseq, Math::max);
    }

    /** The highest pseq the server accepted on this topic: what every subscriber of it must end up with. */
    long lastAccepted(int index) {
        return lastAccepted.get(index);
    }

    /** Events accepted so far, per topic. */
    long[] acceptedCounts() {
        long[] s = new long[count];
        for (int i = 0; i < count; i++) {
            s[i] = accepted.get(i);
        }
        return s;
    }
}
