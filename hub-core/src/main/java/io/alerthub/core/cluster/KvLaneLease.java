package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import io.alerthub.core.dispatch.LaneLease;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

/**
 * A lane's lease and cursor in one key of the cluster's KV bucket, {@code lane.<name>} =
 * {@code {"holder":"<instance>","cursor":N,"at":"<time>"}}, changed only by compare-and-set on the key's revision:
 * a write made from a stale revision fails, so of two instances that both think they hold the lane, only one can
 * store a cursor or renew, and the other learns it lost.
 *
 * <p>With T = {@code takeover-after}:
 * <ul>
 *   <li>The holder writes the key at every cursor save, and at least every T/5 (a renewal). It holds the lease for
 *       0.6 T after the start of its last successful write; past that it delivers nothing (the lane checks
 *       {@link #held()} before each event) until a write succeeds again.</li>
 *   <li>Every other instance reads the key every T/20. When the revision has not changed for 0.8 T by its own clock,
 *       it takes the lease over with a write from that revision. Its clock starts when it first sees a revision,
 *       which is after the holder started writing it: the holder has stopped 0.2 T before anyone may take over, with
 *       no clock shared between machines. And a takeover comes at most 0.8 T + two reads (0.1 T) after the holder's
 *       last write, so within T of its death or stall. While an instance cannot reach the engine its clock does not
 *       run: it starts again when it can.</li>
 *   <li>A holder whose lane is stuck in one delivery for longer than {@code takeover-after} stops renewing, so a
 *       stalled instance loses the lane as a dead one does.</li>
 *   <li>A clean stop writes the key with no holder, and another instance takes the lane at once; an instance that
 *       restarts under the same id takes back a lease in its own name at once.</li>
 * </ul>
 */
final class KvLaneLease implements LaneLease {

    private static final System.Logger LOG = System.getLogger(KvLaneLease.class.getName());
    /** JetStream's answer to a write from a revision that is no longer the key's last. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue kv;
    private final String key;
    private final String lane;
    private final String me;
    private final long takeoverNanos;
    private final long silenceNanos;
    private final long renewNanos;
    private final long validNanos;
    private final long tickNanos;
    private final LongSupplier busyNanos;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition granted = lock.newCondition();
    private final Thread keeper;

    /** Written under the lock; read without it by {@link #held()}. */
    private volatile boolean mine;
    // guarded by lock
    private long revision;
    private long lastWriteStart;
    private boolean observeFailed = true;
    private long seenAt;
    private boolean stuckLogged;
    /** Until when this instance takes no lease (it stepped down); nanoTime. */
    private long notBefore = System.nanoTime();
    private volatile long validUntil;
    private volatile String otherHolder = "";
    private volatile long cursor = -1;
    private volatile boolean closed;

    KvLaneLease(KeyValue kv, String lane, String instanceId, Duration takeoverAfter, LongSupplier busyNanos,
                Clock clock) {
        this.kv = kv;
        this.key = "lane." + lane;
        this.lane = lane;
        this.me = instanceId;
        this.takeoverNanos = takeoverAfter.toNanos();
        this.silenceNanos = takeoverNanos / 10 * 8;
        this.renewNanos = takeoverNanos / 5;
        this.validNanos = takeoverNanos / 10 * 6;
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), takeoverNanos / 20);
        this.busyNanos = busyNanos;
        this.clock = clock;
        this.keeper = Thread.ofVirtual().name("lease-" + lane).start(this::keep);
    }

    @Override
    public Grant acquire(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (!held()) {
                if (nanos <= 0 || closed) {
                    return null;
                }
                nanos = granted.awaitNanos(nanos);
            }
            return new Grant(cursor);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean held() {
        return mine && System.nanoTime() - validUntil < 0;
    }

    @Override
    public boolean store(long seq) {
        lock.lock();
        try {
            if (!mine) {
                return false;
            }
            return write(me, seq);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release() {
        closed = true;
        giveUp(0);
    }

    @Override
    public void stepDown(Duration pause) {
        giveUp(pause.toNanos());
    }

    /** Writes the key with no holder (when this instance holds it) and takes no lease for {@code pauseNanos}. */
    private void giveUp(long pauseNanos) {
        lock.lock();
        try {
            notBefore = System.nanoTime() + pauseNanos;
            if (mine) {
                write("", cursor);
                mine = false;
                validUntil = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String holder() {
        return mine ? "" : otherHolder;
    }

    @Override
    public long storedCursor() {
        return cursor;
    }

    /** The renewals of a holder, the watch of the others: one step every tick, until released. */
    private void keep() {
        while (!closed) {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (mine) {
                    renew();
                } else {
                    observe();
                }
            } finally {
                lock.unlock();
            }
            try {
                TimeUnit.NANOSECONDS.sleep(tickNanos);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void renew() {
        if (System.nanoTime() - lastWriteStart < renewNanos) {
            return;
        }
        long busy = busyNanos.getAsLong();
        if (busy > takeoverNanos) {
            if (!stuckLogged) {
                stuckLogged = true;
                LOG.log(System.Logger.Level.WARNING, "cluster: lane " + lane + " has been stuck in one delivery for "
                        + TimeUnit.NANOSECONDS.toSeconds(Math.min(busy, Long.MAX_VALUE / 2)) + " s; no longer renewing"
                        + " its lease, so another instance takes it over");
            }
            return;
        }
        stuckLogged = false;
        write(me, cursor);
    }

    /** Writes the key from the revision this instance last wrote; {@code false} when it did not. */
    private boolean write(String holder, long seq) {
        long start = System.nanoTime();
        try {
            revision = kv.update(key, LeaseValue.json(holder, seq, clock.instant()), revision);
            cursor = seq;
            if (!holder.isEmpty()) {
                lastWriteStart = start;
                validUntil = start + validNanos;
            }
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                return false; // the engine is electing a leader or the like: as if it did not answer
            }
            // Written by another instance since: it took the lane over.
            mine = false;
            validUntil = System.nanoTime();
            seenAt = System.nanoTime();
            LOG.log(System.Logger.Level.WARNING, "cluster: lane " + lane + ": lost its lease (another instance"
                    + " took it over)");
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // the engine did not answer: held until validUntil, renewed if it comes back before
        }
    }

    private void observe() {
        KeyValueEntry entry;
        try {
            entry = kv.get(key);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            observeFailed = true;
            return;
        }
        long now = System.nanoTime();
        if (observeFailed) {
            // Just (re)connected: the holder may have renewed all along; give it a whole takeover time.
            observeFailed = false;
            seenAt = now;
        }
        if (entry == null) {
            take(null, -1, "");
            return;
        }
        LeaseValue value = LeaseValue.parse(entry.getValue());
        cursor = value.cursor();
        otherHolder = value.holder().equals(me) ? "" : value.holder();
        if (value.holder().isEmpty() || value.holder().equals(me)) {
            take(entry, value.cursor(), value.holder());
            return;
        }
        if (entry.getRevision() != revision) {
            revision = entry.getRevision();
            seenAt = now;
            return;
        }
        if (now - seenAt >= silenceNanos) {
            take(entry, value.cursor(), value.holder());
        }
    }

    /** Takes the lease with a write from {@code entry}'s revision (a create when there is no key yet). */
    private void take(KeyValueEntry entry, long storedCursor, String from) {
        long start = System.nanoTime();
        if (start - notBefore < 0) {
            return; // stepped down a moment ago: another instance's turn
        }
        try {
            byte[] value = LeaseValue.json(me, storedCursor, clock.instant());
            revision = entry == null ? kv.create(key, value) : kv.update(key, value, entry.getRevision());
        } catch (JetStreamApiException e) {
            return; // someone else wrote it first; the next tick reads what
        } catch (IOException | RuntimeException e) {
            observeFailed = true;
            return;
        }
        cursor = storedCursor;
        lastWriteStart = start;
        validUntil = start + validNanos;
        mine = true;
        otherHolder = "";
        if (!from.isEmpty() && !from.equals(me)) {
            LOG.log(System.Logger.Level.WARNING, "cluster: lane " + lane + ": took it over from instance " + from
                    + ", silent for " + Duration.ofNanos(silenceNanos) + ", from seq " + (storedCursor + 1));
        }
        granted.signalAll();
    }

    /** Stops the keeper (a released or abandoned lease). */
    void close() {
        closed = true;
        keeper.interrupt();
    }
}
