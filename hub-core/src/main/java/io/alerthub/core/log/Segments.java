package io.alerthub.core.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.alerthub.spi.Event;

/**
 * The log's segments by first seq, oldest first; the newest is the one being written. Readers share a read lock
 * while they read a segment's file; adding one (a roll) and removing one (retention) take the write lock, so a
 * segment is never closed under a reader.
 */
final class Segments {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Long, Segment> byFirstSeq = new TreeMap<>();

    /** Opens every segment file in {@code dir}, each {@linkplain Segment#recover() recovered}. */
    static Segments open(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
        Segments segments = new Segments();
        try {
            for (Path file : files) {
                Segment s = Segment.open(file);
                if (s != null) {
                    segments.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            segments.closeAll();
            throw e;
        }
        return segments;
    }

    void add(Segment s) {
        lock.writeLock().lock();
        try {
            byFirstSeq.put(s.firstSeq, s);
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean isEmpty() {
        lock.readLock().lock();
        try {
            return byFirstSeq.isEmpty();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The newest segment, or {@code null}. */
    Segment last() {
        lock.readLock().lock();
        try {
            Map.Entry<Long, Segment> e = byFirstSeq.lastEntry();
            return e == null ? null : e.getValue();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The highest seq numbering has passed: the last event's, or, above it, just below an empty segment that
     * numbering jumped to after a machine crash.
     */
    long numberedUpTo() {
        lock.readLock().lock();
        try {
            long head = 0;
            for (Segment s : byFirstSeq.values()) {
                head = Math.max(head, s.lastSeq);
            }
            return head;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The last event's seq; 0 when there is none. */
    long lastEventSeq() {
        lock.readLock().lock();
        try {
            long head = 0;
            for (Segment s : byFirstSeq.values()) {
                if (!s.isEmpty()) {
                    head = Math.max(head, s.lastSeq);
                }
            }
            return head;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first event's seq, or {@code none} when there is no event. */
    long firstEventSeq(long none) {
        lock.readLock().lock();
        try {
            for (Segment s : byFirstSeq.values()) {
                if (!s.isEmpty()) {
                    return s.firstSeq;
                }
            }
            return none;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many numbers between {@code afterSeq} and {@code beforeSeq} (both excluded) fall between segments. */
    long unassigned(long afterSeq, long beforeSeq) {
        long count = 0;
        lock.readLock().lock();
        try {
            Segment previous = null;
            for (Segment s : byFirstSeq.values()) {
                if (previous != null) {
                    long from = Math.max(previous.lastSeq + 1, afterSeq + 1);
                    long to = Math.min(s.firstSeq - 1, beforeSeq - 1);
                    count += Math.max(0, to - from + 1);
                }
                previous = s;
            }
        } finally {
            lock.readLock().unlock();
        }
        return count;
    }

    /**
     * The last seq of the oldest segments whose events were all received before {@code millis}: reading after it
     * skips them and misses no event received at or after {@code millis}.
     */
    long afterSegmentsOlderThan(long millis) {
        long after = 0;
        lock.readLock().lock();
        try {
            for (Segment s : byFirstSeq.values()) {
                if (s.lastReceivedMillis >= millis) {
                    return s.firstSeq - 1;
                }
                after = s.lastSeq;
            }
            return after;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Adds the stored events {@code fromSeq..toSeq} to {@code out}, up to {@code max} in all. */
    void read(long fromSeq, long toSeq, int max, List<Event> out) {
        lock.readLock().lock();
        try {
            Map.Entry<Long, Segment> entry = byFirstSeq.floorEntry(fromSeq);
            if (entry == null) {
                entry = byFirstSeq.firstEntry();
            }
            long seq = fromSeq;
            while (entry != null && seq <= toSeq && out.size() < max) {
                Segment s = entry.getValue();
                if (s.lastSeq >= seq) {
                    seq = s.read(seq, toSeq, max, out);
                }
                entry = byFirstSeq.higherEntry(entry.getKey());
            }
        } catch (IOException e) {
            throw new LogException("cannot read the event log: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Takes the oldest segment out when {@code expired} says so, never the newest (the one being written).
     * Once this returns no reader holds it: the caller closes and deletes it.
     *
     * @return the segment taken out, or {@code null}
     */
    Segment removeOldestIf(Predicate<Segment> expired) {
        lock.writeLock().lock();
        try {
            if (byFirstSeq.size() < 2 || !expired.test(byFirstSeq.firstEntry().getValue())) {
                return null;
            }
            return byFirstSeq.pollFirstEntry().getValue();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void closeAll() {
        lock.writeLock().lock();
        try {
            for (Segment s : byFirstSeq.values()) {
                s.closeQuietly();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
