package io.alerthub.core.notify;

import java.util.ArrayDeque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A rate limit's memory: when the last notifications went, so that at most {@code limit} go within any
 * {@code per}. Kept in the policy's state, so a restart does not reset it. Not thread-safe.
 */
final class SlidingWindow {

    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    /** Whether another may go at {@code now}. */
    boolean allows(long now, int limit, long perMillis) {
        forget(now, perMillis);
        return sent.size() < limit;
    }

    void record(long now) {
        sent.addLast(now);
    }

    /** When the next slot frees (the oldest send leaves the period), epoch millis. */
    long nextFree(long now, int limit, long perMillis) {
        forget(now, perMillis);
        return sent.size() < limit ? now : sent.peekFirst() + perMillis;
    }

    boolean idle(long now, long perMillis) {
        forget(now, perMillis);
        return sent.isEmpty();
    }

    private void forget(long now, long perMillis) {
        while (!sent.isEmpty() && sent.peekFirst() <= now - perMillis) {
            sent.pollFirst();
        }
    }

    ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        sent.forEach(a::add);
        return a;
    }

    static SlidingWindow fromJson(JsonNode a) {
        SlidingWindow w = new SlidingWindow();
        a.forEach(t -> w.sent.addLast(t.asLong()));
        return w;
    }
}
