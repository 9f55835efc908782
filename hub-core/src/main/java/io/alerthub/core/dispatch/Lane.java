package io.alerthub.core.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
 */
final class Lane {

    private static final System.Logger LOG = System.getLogger(Lane.class.getName());

    private final String name;
    private final Notifier notifier;
    private final EventLog log;
    private final CursorStore store;
    private final RetryLoop delivery;
    private final int batchSize;
    private final AtomicLong skipped = new AtomicLong();
    private final Timer latency;

    private volatile long cursor;
    private volatile boolean stopping;
    private volatile long drainTarget;
    private volatile Throwable died;
    private Thread thread;

    Lane(String name, Notifier notifier, EventLog log, CursorStore store, DispatchSettings settings,
         MeterRegistry metrics) throws IOException {
        this.name = name;
        this.notifier = notifier;
        this.log = log;
        this.store = store;
        this.delivery = new RetryLoop("plugin " + name, settings, notifier::health);
        this.batchSize = settings.batchSize();
        long start = store.load().orElse(log.headSeq());
        this.cursor = start;
        store.save(start);
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
        metrics.getOrCreate(Gauge.builder("alerthub.plugin.cursor", this, l -> (double) l.cursor)
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
        return cursor;
    }

    long lag() {
        return Math.max(0, log.headSeq() - cursor);
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
        return cursor >= drainTarget;
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
                }
                for (Event e : batch) {
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
