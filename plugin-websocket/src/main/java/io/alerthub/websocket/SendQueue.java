package io.alerthub.websocket;

/**
 * A bounded FIFO of what waits for one client's writer: shared frames and a few marks. It starts small and grows
 * up to its capacity, so that 10,000 idle connections cost next to nothing. Not thread-safe: its
 * {@link Connection} guards it.
 */
final class SendQueue {

    private static final int INITIAL = 8;

    private final int capacity;
    private Object[] items = new Object[INITIAL];
    private int head;
    private int size;

    SendQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds an item; {@code false} when the queue holds {@code capacity} items already. */
    boolean offer(Object item) {
        if (size == capacity) {
            return false;
        }
        if (size == items.length) {
            grow();
        }
        items[(head + size) % items.length] = item;
        size++;
        return true;
    }

    /** Moves up to {@code into.length} items, oldest first, into {@code into}; returns how many. */
    int drainTo(Object[] into) {
        int n = Math.min(size, into.length);
        for (int i = 0; i < n; i++) {
            into[i] = items[head];
            items[head] = null;
            head = (head + 1) % items.length;
        }
        size -= n;
        if (size == 0) {
            head = 0;
        }
        return n;
    }

    /** Drops everything and gives the memory back. */
    void clear() {
        items = new Object[INITIAL];
        head = 0;
        size = 0;
    }

    /** Drops everything and leaves only {@code item}, whatever the capacity. */
    void replaceAllWith(Object item) {
        clear();
        items[0] = item;
        size = 1;
    }

    /** Adds {@code item} after everything queued, even beyond the capacity (a last message, such as a close). */
    void append(Object item) {
        if (size == items.length) {
            Object[] bigger = new Object[items.length + 1];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) % items.length];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size) % items.length] = item;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        Object[] bigger = new Object[(int) Math.min((long) capacity, items.length * 2L)];
        for (int i = 0; i < size; i++) {
            bigger[i] = items[(head + i) % items.length];
        }
        items = bigger;
        head = 0;
    }
}
