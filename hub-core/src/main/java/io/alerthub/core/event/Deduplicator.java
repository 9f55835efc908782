package io.alerthub.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers producer ids for the dedup window, oldest first, so expiry is a walk from the front.
 * Bounded: past {@code maxIds} the oldest ids are forgotten early. Not thread-safe: {@link Ingest} guards it.
 */
final class Deduplicator {

    private record Seen(long seq, long expiresAtMillis) {
    }

    private final long windowMillis;
    private final int maxIds;
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    Deduplicator(Duration window, int maxIds) {
        this.windowMillis = window.toMillis();
        this.maxIds = maxIds;
    }

    /** The seq of an earlier event with this id still inside the window, or 0. */
    long lookup(String id, Instant now) {
        Seen s = seen.get(id);
        return s != null && s.expiresAtMillis > now.toEpochMilli() ? s.seq : 0;
    }

    void remember(String id, long seq, Instant receivedAt) {
        seen.remove(id);
        seen.put(id, new Seen(seq, receivedAt.toEpochMilli() + windowMillis));
        if (seen.size() > maxIds) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    void expire(Instant now) {
        long nowMillis = now.toEpochMilli();
        Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMillis <= nowMillis) {
            it.remove();
        }
    }

    int size() {
        return seen.size();
    }
}
