package io.alerthub.email;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * At most {@code mails} mails per recipient list within any sliding {@code perMillis}. A mail takes its slot when
 * it is handed to the sender and gives it back if the server took nothing. Not thread-safe (the outbox's lock).
 */
final class RateLimiter {

    private final int mails;
    private final long perMillis;
    private final Map<String, ArrayDeque<Long>> sent = new HashMap<>();

    RateLimiter(int mails, long perMillis) {
        this.mails = mails;
        this.perMillis = perMillis;
    }

    /**
     * Takes a slot for {@code key} at {@code now}.
     *
     * @return 0 when taken; otherwise when the next slot frees (epoch millis, later than {@code now})
     */
    long tryAcquire(String key, long now) {
        ArrayDeque<Long> stamps = sent.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!stamps.isEmpty() && stamps.peekFirst() <= now - perMillis) {
            stamps.pollFirst();
        }
        if (stamps.size() < mails) {
            stamps.addLast(now);
            return 0;
        }
        return stamps.peekFirst() + perMillis;
    }

    /** Gives back the slot taken at {@code stamp} (the mail was not sent). */
    void release(String key, long stamp) {
        ArrayDeque<Long> stamps = sent.get(key);
        if (stamps != null) {
            stamps.removeLastOccurrence(stamp);
        }
    }

    /** Forgets lists with no mail inside the period, so that the map does not grow with old lists. */
    void forgetIdle(long now) {
        for (Iterator<ArrayDeque<Long>> it = sent.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Long> stamps = it.next();
            if (stamps.isEmpty() || stamps.peekLast() <= now - perMillis) {
                it.remove();
            }
        }
    }
}
