package io.alerthub.core.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.alerthub.spi.Event;

/**
 * The newest events in memory, in a ring indexed by {@code seq}, so that lanes near the head and resumes of recent
 * history never touch the disk. Kept small on purpose (the hub caps it at 1,024): events held for seconds outlive
 * young collections and are then copied and promoted only to die in the old generation (performance.md, item 10).
 *
 * <p>Written by the appender, read by anyone without a lock: a slot holds an event or an older one that had the
 * same slot, and a reader checks the {@code seq}.
 */
final class RecentEvents {

    private final AtomicReferenceArray<Event> ring;

    RecentEvents(int capacity) {
        this.ring = new AtomicReferenceArray<>(Math.max(1, capacity));
    }

    int capacity() {
        return ring.length();
    }

    void put(Event e) {
        ring.set(slot(e.seq()), e);
    }

    /**
     * Adds the held events from {@code fromSeq} on, up to {@code toSeq} and {@code max} in all, to {@code out}, stopping
     * at the first one no longer held.
     *
     * @return the next seq wanted
     */
    long copy(long fromSeq, long toSeq, int max, List<Event> out) {
        long seq = fromSeq;
        while (seq <= toSeq && out.size() < max) {
            Event e = ring.get(slot(seq));
            if (e == null || e.seq() != seq) {
                break;
            }
            out.add(e);
            seq++;
        }
        return seq;
    }

    private int slot(long seq) {
        return (int) (seq % ring.length());
    }
}
