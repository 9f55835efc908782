package io.alerthub.mqtt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.alerthub.spi.Event;

/**
 * The events handed to the broker whose messages it has not all acknowledged yet, in {@code seq} order.
 *
 * <p>This, not the MQTT client's own store, is what survives a lost connection: on the next connection every
 * held event is published again, oldest first, before anything newer. (Paho 1.2.5 would resend its own
 * in-flight packets, but with a topic alias of the old connection that the broker no longer knows, and the
 * broker then drops the connection again, forever: eclipse-paho/paho.mqtt.java#916.) The hub's durable
 * cursor never passes {@link #oldestHeld()}{@code - 1}, so a hub restart publishes held events again too.
 *
 * <p>Each connection has a number (its generation); acknowledgements from an older connection are ignored,
 * because everything they could confirm is being published again on the new one. The window also bounds
 * how many messages are unacknowledged at once (the capacity).
 */
final class InFlightWindow {

    /** One held event and the progress of its messages on the current connection. */
    static final class Held {
        final Event event;
        final List<PublishPlanner.Outbound> messages;
        private int generation;
        private int unsent;
        private int unconfirmed;

        private Held(Event event, List<PublishPlanner.Outbound> messages, int generation) {
            this.event = event;
            this.messages = messages;
            this.generation = generation;
            this.unsent = messages.size();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<Long, Held> held = new LinkedHashMap<>();
    private int outstanding;
    private volatile int capacity;
    private volatile long oldest = Long.MAX_VALUE;
    private volatile int size;

    InFlightWindow(int capacity) {
        this.capacity = capacity;
    }

    /** The lowest held {@code seq}, or {@link Long#MAX_VALUE}; never blocks. */
    long oldestHeld() {
        return oldest;
    }

    /** Held events. */
    int size() {
        return size;
    }

    /** Messages sent on the current connection and not yet acknowledged. */
    int outstanding() {
        lock.lock();
        try {
            return outstanding;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }

    /** The broker's receive maximum may be lower than ours; set for each connection. */
    void capacity(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    Held add(Event event, List<PublishPlanner.Outbound> messages, int generation) {
        lock.lock();
        try {
            Held h = new Held(event, messages, generation);
            Held replaced = held.put(event.seq(), h);
            if (replaced != null) {
                // The lane handed the same event again (a delivery that threw): its earlier try no longer counts.
                outstanding -= replaced.unconfirmed;
                replaced.generation = -1;
            }
            refresh();
            return h;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until one more message fits, or {@code alive} turns false (the connection was lost).
     *
     * @return whether the connection is still alive and the message may be sent
     */
    boolean awaitSpace(BooleanSupplier alive) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (outstanding >= capacity) {
                if (!alive.getAsBoolean()) {
                    return false;
                }
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            return alive.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** A message of {@code h} is about to be handed to the client (counted before, so an ack cannot overtake it). */
    void sending(Held h) {
        lock.lock();
        try {
            h.unsent--;
            h.unconfirmed++;
            outstanding++;
        } finally {
            lock.unlock();
        }
    }

    /** The client refused the message before sending it: it is still to be sent. */
    void notSent(Held h) {
        lock.lock();
        try {
            h.unsent++;
            h.unconfirmed--;
            outstanding--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The broker acknowledged (or refused) one message of {@code h} that was sent on connection
     * {@code generation}; the event is released once all its messages are done.
     *
     * @return whether the event is now fully done
     */
    boolean confirmed(Held h, int generation) {
        lock.lock();
        try {
            if (h.generation != generation || h.unconfirmed == 0) {
                return false;
            }
            h.unconfirmed--;
            outstanding--;
            boolean done = h.unsent == 0 && h.unconfirmed == 0;
            if (done) {
                held.remove(h.event.seq());
                refresh();
            }
            changed.signalAll();
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Gives up on a held event that can never be published (it stays counted as failed by the caller). */
    void drop(Held h) {
        lock.lock();
        try {
            outstanding -= h.unconfirmed;
            h.unconfirmed = 0;
            held.remove(h.event.seq());
            refresh();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new connection: nothing is outstanding on it yet, and every held event is to be published again,
     * in order.
     *
     * @return the held events, oldest first
     */
    List<Held> restart(int generation) {
        lock.lock();
        try {
            outstanding = 0;
            List<Held> all = new ArrayList<>(held.values());
            for (Held h : all) {
                h.generation = generation;
                h.unsent = h.messages.size();
                h.unconfirmed = 0;
            }
            changed.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiters so they look at the connection again. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is held, or the time is up. */
    boolean awaitEmpty(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!held.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void refresh() {
        size = held.size();
        oldest = held.isEmpty() ? Long.MAX_VALUE : held.firstEntry().getValue().event.seq();
    }
}
