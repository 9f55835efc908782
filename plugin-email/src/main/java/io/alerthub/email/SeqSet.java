package io.alerthub.email;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A set of event {@code seq}s kept as closed ranges, so that a digest of ten thousand consecutive events
 * costs one entry. Not thread-safe.
 */
final class SeqSet {

    /** range start → range end (inclusive); ranges never touch or overlap. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long size;

    void add(long seq) {
        addRange(seq, seq);
    }

    void addAll(SeqSet other) {
        for (Map.Entry<Long, Long> r : other.ranges.entrySet()) {
            addRange(r.getKey(), r.getValue());
        }
    }

    boolean contains(long seq) {
        Map.Entry<Long, Long> r = ranges.floorEntry(seq);
        return r != null && r.getValue() >= seq;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** How many seqs the set holds. */
    long size() {
        return size;
    }

    /** The lowest seq, or {@link Long#MAX_VALUE} when empty. */
    long first() {
        return ranges.isEmpty() ? Long.MAX_VALUE : ranges.firstKey();
    }

    /** The highest seq, or 0 when empty. */
    long last() {
        return ranges.isEmpty() ? 0 : ranges.lastEntry().getValue();
    }

    /** Drops every seq up to and including {@code floor}. */
    void removeThrough(long floor) {
        while (!ranges.isEmpty() && ranges.firstKey() <= floor) {
            Map.Entry<Long, Long> r = ranges.pollFirstEntry();
            if (r.getValue() > floor) {
                ranges.put(floor + 1, r.getValue());
                size -= floor + 1 - r.getKey();
            } else {
                size -= r.getValue() - r.getKey() + 1;
            }
        }
    }

    /** {@code 1-5,9,12-13}. */
    String format() {
        StringJoiner j = new StringJoiner(",");
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            j.add(r.getKey().equals(r.getValue()) ? r.getKey().toString() : r.getKey() + "-" + r.getValue());
        }
        return j.toString();
    }

    /**
     * Reads what {@link #format()} wrote.
     *
     * @throws IllegalArgumentException when the text is not a list of seqs and ranges
     */
    static SeqSet parse(String text) {
        SeqSet set = new SeqSet();
        if (text.isEmpty()) {
            return set;
        }
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            try {
                long from = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(part.substring(dash + 1));
                if (from <= 0 || to < from) {
                    throw new IllegalArgumentException("bad seq range '" + part + "'");
                }
                set.addRange(from, to);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad seq range '" + part + "'");
            }
        }
        return set;
    }

    private void addRange(long from, long to) {
        long start = from;
        long end = to;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            ranges.remove(before.getKey());
            size -= before.getValue() - before.getKey() + 1;
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end + 1) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
            size -= next.getValue() - next.getKey() + 1;
        }
        ranges.put(start, end);
        size += end - start + 1;
    }

    @Override
    public String toString() {
        return format();
    }
}
