package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.alerthub.core.config.ClusterSettings;
import io.alerthub.core.log.SegmentedEventLog;
import io.alerthub.spi.Event;

import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;

/**
 * Copies the stream into this instance's local log, in sequence order, on a thread of its own: everything the
 * instance serves (its lanes, history, resumes) reads that copy, so a client costs no round trip to the engine.
 *
 * <p>It reads with an ordered consumer (ephemeral, flow-controlled, recreated by the client when a message goes
 * missing) from the copy's head + 1, and writes what arrives in runs of consecutive sequences, one record each.
 * When the connection comes back, or the copy stops moving while the stream is ahead of it, it subscribes again from
 * its head. A sequence that arrives above the one expected means the stream no longer holds the ones between: it
 * was asked to start at an older one (JetStream silently starts at its first sequence then) or retention removed them
 * while this instance was cut off. The copy then has a gap, which its readers see and signal
 * ({@code skipped_by_retention} on a lane, {@code replay_gap} on a resume), and the mirror logs it once.
 */
final class StreamMirror implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamMirror.class.getName());
    private static final int BATCH = 1024;
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Duration IDLE_HEARTBEAT = Duration.ofSeconds(1);

    private record Received(long generation, Message message) {
    }

    private final Engine engine;
    private final ClusterSettings settings;
    private final SegmentedEventLog copy;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong trimmed = new AtomicLong();
    private Dispatcher dispatcher;
    private JetStreamSubscription subscription;
    /** Written by the mirror's thread only. */
    private volatile long generation;
    private volatile boolean resubscribe;
    private volatile boolean closed;
    /** The highest sequence the stream was seen to hold (stream info, or what arrived). */
    private volatile long streamLast;
    private long expected;
    private long lastArrival = System.nanoTime();
    private long lastWatch = System.nanoTime();
    private boolean failing;

    StreamMirror(Engine engine, ClusterSettings settings, SegmentedEventLog copy) {
        this.engine = engine;
        this.settings = settings;
        this.copy = copy;
        this.js = engine.jetStream();
        this.jsm = engine.management();
        // A platform thread: as a virtual one it waited for a carrier behind every WebSocket writer of a fan-out
        // before it could copy the next event, which every delivery of the instance then waited for.
        this.thread = Thread.ofPlatform().daemon().name("cluster-mirror").unstarted(this::run);
        engine.onReconnect(() -> resubscribe = true);
    }

    /**
     * Starts copying from {@code fromSeq} (the copy's head + 1, or for an empty copy the first event it should hold).
     */
    void start(long fromSeq) {
        this.expected = fromSeq;
        this.dispatcher = engine.connection().createDispatcher();
        subscribe(fromSeq);
        thread.start();
    }

    /** The highest sequence the stream is known to hold: at least the copy's head. */
    long streamLast() {
        return Math.max(streamLast, copy.headSeq());
    }

    /** Asks the engine for the stream's last sequence now (one round trip); the last known one when it is away. */
    long refreshStreamLast() {
        try {
            StreamState state = jsm.getStreamInfo(settings.stream()).getStreamState();
            streamLast = Math.max(streamLast, state.getLastSequence());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // away: what is known will do
        }
        return streamLast();
    }

    /** Events this instance never had because the stream no longer held them when it came to copy them. */
    long trimmed() {
        return trimmed.get();
    }

    private void subscribe(long fromSeq) {
        long gen = generation + 1;
        generation = gen;
        if (subscription != null) {
            try {
                dispatcher.unsubscribe(subscription);
            } catch (RuntimeException e) {
                // the old consumer is gone with the old connection; its stray messages carry an old generation
            }
            subscription = null;
        }
        ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
                .filterSubject(settings.subject())
                .idleHeartbeat(IDLE_HEARTBEAT);
        if (fromSeq > 1) {
            cc.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(fromSeq);
        } else {
            cc.deliverPolicy(DeliverPolicy.All);
        }
        try {
            subscription = js.subscribe(settings.subject(), dispatcher, m -> queue.add(new Received(gen, m)), false,
                                        PushSubscribeOptions.builder().stream(settings.stream()).ordered(true)
                                                .configuration(cc.build()).build());
            resubscribe = false;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // The engine is away or still electing a leader: the watch tries again.
            resubscribe = true;
            LOG.log(System.Logger.Level.DEBUG, "cluster: cannot read the stream yet: " + Engine.rootMessage(e));
        }
    }

    private void run() {
        List<Received> batch = new ArrayList<>(BATCH);
        List<Event> run = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                Received first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch, run);
                    batch.clear();
                }
                watch();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The local copy cannot be written (disk full?): read again from its head once it can.
                batch.clear();
                run.clear();
                if (!failing) {
                    failing = true;
                    LOG.log(System.Logger.Level.ERROR, "cluster: cannot write the local copy of the stream: "
                            + e.getMessage() + " (trying again every second)");
                }
                resubscribe = true;
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    private void write(List<Received> batch, List<Event> run) {
        long gen = generation;
        for (Received r : batch) {
            if (r.generation() != gen) {
                continue;
            }
            Message m = r.message();
            if (!m.isJetStream()) {
                continue;
            }
            long seq = m.metaData().streamSequence();
            long last = run.isEmpty() ? Math.max(copy.headSeq(), expected - 1) : run.getLast().seq();
            if (seq <= last) {
                continue; // delivered again after the consumer was recreated
            }
            if (seq > last + 1) {
                flush(run);
                gap(last + 1, seq - 1);
            }
            run.add(StreamRecords.event(m));
            streamLast = Math.max(streamLast, seq + m.metaData().pendingCount());
        }
        flush(run);
        lastArrival = System.nanoTime();
        if (failing) {
            failing = false;
            LOG.log(System.Logger.Level.INFO, "cluster: writing the local copy of the stream again");
        }
    }

    private void flush(List<Event> run) {
        if (!run.isEmpty()) {
            copy.appendNumbered(run);
            expected = run.getLast().seq() + 1;
            run.clear();
        }
    }

    private void gap(long from, long to) {
        long count = to - from + 1;
        trimmed.addAndGet(count);
        expected = to + 1;
        LOG.log(System.Logger.Level.WARNING, "cluster: the stream no longer holds seq " + from + ".." + to + " ("
                + count + " events): its retention removed them before this instance copied them; lanes count"
                + " them skipped and resuming clients get replay_gap");
    }

    /** Subscribes again when the connection came back, or when the copy stopped while the stream is ahead of it. */
    private void watch() {
        long now = System.nanoTime();
        if (resubscribe && engine.up()) {
            subscribe(Math.max(copy.headSeq(), expected - 1) + 1);
            lastArrival = now;
            return;
        }
        if (now - lastWatch < WATCH_NANOS || !engine.up()) {
            return;
        }
        lastWatch = now;
        long head = Math.max(copy.headSeq(), expected - 1);
        if (refreshStreamLast() > head && now - lastArrival > WATCH_NANOS && queue.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "cluster: the copy stopped at " + head + " while the stream holds "
                    + streamLast + "; reading again");
            subscribe(head + 1);
            lastArrival = now;
        }
    }

    @Override
    public void close() {
        // Not interrupted: an interrupt during a write would close the copy's file channel. It polls every 200 ms.
        closed = true;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (dispatcher != null) {
                engine.connection().closeDispatcher(dispatcher);
            }
        } catch (RuntimeException e) {
            // closing anyway
        }
    }
}
