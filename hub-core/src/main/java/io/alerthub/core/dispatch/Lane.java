package io.alerthub.core.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.alerthub.core.config.DispatchSettings;
import io.alerthub.core.log.EventLog;
import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.HeldEvents;
import io.alerthub.spi.Health;
import io.alerthub.spi.Notifier;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * One plugin's lane: a virtual thread reading the event log from the plugin's own durable cursor and
 * handing events to its notifier one by one, in order, through its own {@link RetryLoop} (the hub's one retry,
 * backoff and circuit breaker), so a plugin that throws, hangs or is slow only holds up its own lane.
 *
 * <ul>
 *   <li>{@link DeliveryException.Kind#RETRYABLE}: retried with backoff up to the configured retries, then the
 *       event is counted failed and the lane moves on;</li>
 *   <li>{@link DeliveryException.Kind#PERMANENT}: counted failed at once;</li>
 *   <li>{@link DeliveryException.Kind#UNAVAILABLE}: the channel is away; the lane keeps the event and tries
 *       again (backoff, then the open breaker's pause) until the channel takes it. Nothing is dropped.</li>
 * </ul>
 *
 * <p>A leased lane (cluster mode, a plugin with side effects) runs only while this instance holds its
 * {@link LaneLease}, whose cursor is stored in the engine: it waits for the lease, starts its notifier when it gets it,
 * checks the lease before every delivery, and when another instance has taken the lease closes that notifier (a
 * broker connection with the same client id, an ack subscription, must not run twice) and takes a fresh one from
 * {@code freshNotifier} the next time it gets the lease.
 */
final class Lane {

    private static final System.Logger LOG = System.getLogger(Lane.class.getName());
    /** How long a lane whose plugin failed to start leaves the lease to the other instances. */
    private static final Duration STEP_DOWN = Duration.ofSeconds(5);

    private final String name;
    private final EventLog log;
    private final LaneCursor store;
    /** {@code null} unless the lane runs on one instance at a time. */
    private final LaneLease lease;
    private final Supplier<Notifier> freshNotifier;
    private final RetryLoop delivery;
    private final int batchSize;
    private final AtomicLong skipped = new AtomicLong();
    private final Timer latency;

    private volatile long cursor;
    private volatile boolean stopping;
    private volatile long drainTarget;
    private volatile Throwable died;
    private volatile Notifier notifier;
    /** Leased lanes: whether {@link #notifier} was started, and whether it was closed (then a fresh one is needed). */
    private volatile boolean notifierStarted;
    private volatile boolean notifierClosed;
    /** Leased lanes, lane thread only: whether the lane took the lease's grant since it last held it. */
    private boolean granted;
    private Thread thread;

    /** A lane of this hub alone, with its cursor in a file. */
    Lane(String name, Notifier notifier, EventLog log, CursorStore store, DispatchSettings settings,
         MeterRegistry metrics) throws IOException {
        this(name, notifier, null, log, store, null, settings, metrics);
    }

    /**
     * A lane that runs on one instance at a time, while this one holds its lease (cluster mode).
     *
     * @param notifier      the notifier made at start, started when the lease is first granted
     * @param freshNotifier makes another when that one was closed because the lane had moved away; {@code null}:
     *                      the notifier stays open (idle) while another instance runs the lane
     */
    Lane(String name, Notifier notifier, Supplier<Notifier> freshNotifier, EventLog log, LaneLeases leases,
         DispatchSettings settings, MeterRegistry metrics) throws IOException {
        this(name, notifier, freshNotifier, log, null, leases, settings, metrics);
    }

    private Lane(String name, Notifier notifier, Supplier<Notifier> freshNotifier, EventLog log, CursorStore file,
                 LaneLeases leases, DispatchSettings settings, MeterRegistry metrics) throws IOException {
        this.name = name;
        this.notifier = notifier;
        this.freshNotifier = freshNotifier;
        this.log = log;
        this.delivery = new RetryLoop("plugin " + name, settings, () -> this.notifier.health());
        this.lease = leases == null ? null : leases.lease(name, this::busyNanos);
        this.store = file != null ? file : new LeaseCursor(lease);
        this.batchSize = settings.batchSize();
        if (lease == null) {
            long start = store.load().orElse(log.headSeq());
            this.cursor = start;
            store.save(start);
        }
        List<Tag> tags = List.of(Tag.create("plugin", name));
        this.latency = metrics.getOrCreate(Timer.builder("alerthub.dispatch.latency")
                                                   .description("Time from acceptance to delivery by the plugin")
                                                   .tags(tags)
                                                   .buckets(Duration.ofMillis(1), Duration.ofMillis(5),
                                                            Duration.ofMillis(10), Duration.ofMillis(50),
                                                            Duration.ofMillis(100), Duration.ofMillis(500),
                                                            Duration.ofSeconds(1), Duration.ofSeconds(5),
                                                            Duration.ofSeconds(30)));
        counter(metrics, "alerthub.plugin.delivered", "Events the plugin delivered", delivery.deliveredCounter(),
                tags);
        counter(metrics, "alerthub.plugin.failed", "Events the plugin could not deliver", delivery.failedCounter(),
                tags);
        counter(metrics, "alerthub.plugin.retried", "Delivery attempts repeated after a failure",
                delivery.retriedCounter(), tags);
        counter(metrics, "alerthub.plugin.skipped", "Events removed by retention before the plugin read them",
                skipped, tags);
        metrics.getOrCreate(Gauge.builder("alerthub.plugin.lag", this, Lane::lag)
                                    .description("Events accepted but not yet handed to the plugin")
                                    .tags(tags));
        metrics.getOrCreate(Gauge.builder("alerthub.plugin.cursor", this, l -> (double) l.cursor())
                                    .description("The last seq handed to the plugin")
                                    .tags(tags));
    }

    private static void counter(MeterRegistry metrics, String meter, String description, AtomicLong value,
                                List<Tag> tags) {
        metrics.getOrCreate(FunctionalCounter.builder(meter, value, AtomicLong::get)
                                    .description(description)
                                    .tags(tags));
    }

    void start() {
        thread = Thread.ofVirtual().name("lane-" + name).start(this::run);
    }

    long cursor() {
        return lease != null && !lease.held() ? lease.storedCursor() : cursor;
    }

    /** The notifier the lane hands events to now (a leased lane takes a fresh one after the lane came back to it). */
    Notifier notifier() {
        return notifier;
    }

    /** {@code null} unless the lane runs on one instance at a time. */
    LaneLease lease() {
        return lease;
    }

    /** Whether this instance delivers for the lane now: always, unless it is leased and another instance holds it. */
    boolean running() {
        return lease == null || lease.held();
    }

    /** How long the current delivery attempt has run; {@link Long#MAX_VALUE} once the lane died. */
    private long busyNanos() {
        return died != null ? Long.MAX_VALUE : delivery.busyNanos();
    }

    long lag() {
        return Math.max(0, log.headSeq() - cursor());
    }

    long delivered() {
        return delivery.delivered();
    }

    long failed() {
        return delivery.failed();
    }

    long retried() {
        return delivery.retried();
    }

    long skipped() {
        return skipped.get();
    }

    String circuit() {
        return delivery.circuit();
    }

    /** The lane's own view of its plugin: dead, paused by its breaker, or stuck in a delivery. */
    Health health() {
        Throwable d = died;
        if (d != null) {
            return Health.down("lane stopped: " + d);
        }
        return delivery.health();
    }

    /**
     * Stops the lane once it has handed over every event up to the current head, or when the deadline
     * passes (then the event in hand stays unacknowledged and is delivered again after a restart).
     *
     * @return whether the lane reached the head
     */
    boolean drain(long deadlineNanos) {
        drainTarget = log.headSeq();
        stopping = true;
        if (thread == null) {
            return false;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0 && !thread.join(Duration.ofNanos(left))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(1));
            } else if (left <= 0) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A leased lane another instance runs has nothing of its own to deliver.
        return cursor >= drainTarget || (lease != null && !lease.held());
    }

    /** Writes the durable cursor a last time (after the notifier closed, so that what it flushed counts). */
    void saveAndClose() {
        try {
            saveCursor();
            store.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": cannot save its cursor: " + e.getMessage());
        }
    }

    private void run() {
        try {
            while (!(stopping && cursor >= drainTarget)) {
                if (lease != null && !(granted && lease.held())) {
                    granted = false;
                    if (!takeLease()) {
                        break;
                    }
                    granted = true;
                    continue;
                }
                List<Event> batch = log.read(cursor, batchSize);
                if (batch.isEmpty()) {
                    saveCursor();
                    if (stopping) {
                        break;
                    }
                    log.awaitAfter(cursor, Duration.ofSeconds(1));
                    continue;
                }
                long first = batch.getFirst().seq();
                long gone = first - cursor - 1 - (first > cursor + 1 ? log.unassigned(cursor, first) : 0);
                if (gone > 0) {
                    skipped.addAndGet(gone);
                    LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": skipped " + gone
                            + " events (seq " + (cursor + 1) + ".." + (first - 1)
                            + ") that retention removed before the plugin read them");
                    notifier.skipped(cursor + 1, first - 1);
                }
                for (Event e : batch) {
                    if (lease != null && !lease.held()) {
                        break;
                    }
                    deliver(e);
                    cursor = e.seq();
                }
                saveCursor();
            }
        } catch (InterruptedException e) {
            // drain deadline passed: the event in hand is delivered again after a restart
        } catch (Throwable t) {
            died = t;
            LOG.log(System.Logger.Level.ERROR, "plugin " + name + ": its lane stopped", t);
        }
    }

    /**
     * Waits for the lease (a leased lane that does not hold it), closing the notifier once another instance holds
     * it; when granted, goes on from the stored cursor with a started notifier.
     *
     * @return {@code false} when the lane is stopping
     */
    private boolean takeLease() throws InterruptedException, IOException {
        boolean logged = false;
        while (!stopping) {
            String holder = lease.holder();
            if (notifierStarted && !notifierClosed && !holder.isEmpty() && freshNotifier != null) {
                LOG.log(System.Logger.Level.INFO, "plugin " + name + ": its lane moved to instance " + holder
                        + "; this instance stands by");
                closeNotifier();
            }
            LaneLease.Grant grant = lease.acquire(Duration.ofMillis(200));
            if (grant == null) {
                if (!logged && !holder.isEmpty()) {
                    logged = true;
                    LOG.log(System.Logger.Level.INFO, "plugin " + name + ": standing by, instance " + holder
                            + " runs its lane");
                }
                continue;
            }
            if (stopping) {
                break; // granted as this hub stops: saveAndClose gives it back
            }
            long from = grant.cursor() >= 0 ? grant.cursor() : log.headSeq();
            ((LeaseCursor) store).granted(grant.cursor());
            cursor = from;
            if (!startNotifier()) {
                lease.stepDown(STEP_DOWN);
                continue;
            }
            saveCursor();
            LOG.log(System.Logger.Level.INFO, "plugin " + name + ": this instance runs its lane, from seq "
                    + (from + 1));
            return true;
        }
        return false;
    }

    /** Starts the notifier for a newly granted lease: the first one once, a fresh one after it was closed. */
    private boolean startNotifier() {
        try {
            if (notifierClosed) {
                notifier = freshNotifier.get();
                notifierClosed = false;
                notifierStarted = false;
            }
            if (!notifierStarted) {
                notifier.start();
                notifierStarted = true;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "plugin " + name + ": it failed to start; giving its lane up for"
                    + " another instance: " + e.getMessage());
            closeNotifier();
            return false;
        }
    }

    private void closeNotifier() {
        try {
            notifier.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": close failed: " + e.getMessage());
        }
        notifierClosed = true;
    }

    /** Whether the notifier was closed by the lane itself (it moved away): the dispatcher does not close it again. */
    boolean notifierClosed() {
        return notifierClosed;
    }

    /**
     * Hands one event to the notifier through the hub's one {@link RetryLoop}: until it takes it, the loop gives up on
     * it (counted failed), or the lane is interrupted.
     */
    private void deliver(Event event) throws InterruptedException {
        if (delivery.deliver("event seq " + event.seq(), () -> notifier.deliver(event))) {
            latency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis()
                    - event.receivedAt().toEpochMilli())));
        }
    }

    /**
     * Saves the cursor: the last event handed over, or just below the oldest one the notifier still holds; then
     * tells a {@link HeldEvents} notifier what was saved (its documented order: oldestHeld, save, cursorSaved).
     */
    private void saveCursor() throws IOException {
        long durable = cursor;
        HeldEvents held = notifier instanceof HeldEvents h ? h : null;
        if (held != null) {
            long oldest = held.oldestHeld();
            if (oldest != Long.MAX_VALUE) {
                durable = Math.min(durable, oldest - 1);
            }
        }
        durable = Math.max(durable, 0);
        if (store.save(durable) && held != null) {
            held.cursorSaved(durable);
        }
    }
}
