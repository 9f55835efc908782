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
    /** When an id was last forgotten before its window ended (epoch millis, 0 = never), and how long it was kept. */
    private long lastEarlyMillis;
    private long keptMillis;
    private long forgottenEarly;

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
            Iterator<Seen> oldest = seen.values().iterator();
            Seen first = oldest.next();
            oldest.remove();
            long now = receivedAt.toEpochMilli();
            if (first.expiresAtMillis > now) {
                // the cap, not the window, forgot it: the window is effectively shorter at this rate
                forgottenEarly++;
                lastEarlyMillis = now;
                keptMillis = now - (first.expiresAtMillis - windowMillis);
            }
        }
    }

    void expire(Instant now) {
        long nowMillis = now.toEpochMilli();
        Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMillis <= nowMillis) {
            it.remove();
        }
    }

    /**
     * How long ids were kept when the cap last forgot one before its window ended, if that happened within the last
     * window (the window in force at this rate); empty when the whole window holds.
     */
    java.util.Optional<Duration> shortenedWindow(Instant now) {
        return lastEarlyMillis != 0 && now.toEpochMilli() - lastEarlyMillis < windowMillis
                ? java.util.Optional.of(Duration.ofMillis(keptMillis))
                : java.util.Optional.empty();
    }

    /** Ids forgotten before their window ended, since start. */
    long forgottenEarly() {
        return forgottenEarly;
    }

    int size() {
        return seen.size();
    }
}
