package io.alerthub.core.dispatch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.alerthub.core.config.DispatchSettings;
import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.log.EventLog;
import io.alerthub.spi.Health;
import io.alerthub.spi.LocalDelivery;
import io.alerthub.spi.Notifier;

import io.helidon.metrics.api.MeterRegistry;

/**
 * Runs one {@link Lane} per enabled plugin and answers for their state. Plugins are registered before
 * {@link #start()}; a plugin whose {@code start()} throws is reported DOWN and gets no lane (its cursor
 * stays where it was, so nothing is lost for it). A plugin fed by something else (a human channel, fed notifications
 * by the notification policy) gets no lane either: its {@link Feed} answers for it. Under the {@code batch} and
 * {@code interval} fsync policies it also runs the {@link CursorFlusher} that makes the lanes' cursors durable (the promise is
 * {@link CursorStore}'s).
 *
 * <p>Started with {@link LaneLeases} (cluster mode), the lane of a plugin with side effects (not
 * {@link LocalDelivery}) runs only while this instance holds its lease, from the cursor stored with it; its notifier is
 * started when the lease is granted, not here. A fed plugin runs where its feed does (the notification policy takes a
 * lease of its own).
 */
public final class Dispatcher {

    /** What feeds a plugin that has no event lane of its own, as {@code GET /api/v1/plugins} shows it. */
    public interface Feed {
        /** How far the feed has read the event log. */
        long cursor();

        long delivered();

        long failed();

        long retried();

        long skipped();

        /** The worst circuit of the feed's breakers: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}. */
        String circuit();

        /** The feed's own view of the plugin's deliveries (breakers, stalls); must not block. */
        Health health();

        /** Facts for the plugin's entry, besides the plugin's own; must not block. */
        Map<String, Object> details();
    }

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final EventLog log;
    private final Path cursorDir;
    private final DispatchSettings settings;
    private final MeterRegistry metrics;
    /** {@code null} under the fsync policy {@code none}. */
    private final CursorFlusher cursorFlusher;
    private final Map<String, Entry> plugins = new LinkedHashMap<>();

    private static final class Entry {
        final String name;
        final String source;
        final Notifier notifier;
        final Supplier<Notifier> fresh;
        volatile Feed feed;
        volatile Lane lane;
        volatile String startFailure;

        Entry(String name, String source, Notifier notifier, Supplier<Notifier> fresh) {
            this.name = name;
            this.source = source;
            this.notifier = notifier;
            this.fresh = fresh;
        }

        /** The notifier the lane uses now. */
        Notifier current() {
            Lane l = lane;
            return l == null ? notifier : l.notifier();
        }
    }

    /**
     * @param fsync         the event log's fsync policy: unless it is {@code none} the cursors are forced too
     * @param fsyncInterval how often the cursors that moved are forced then
     */
    public Dispatcher(EventLog log, Path cursorDir, DispatchSettings settings, FsyncPolicy fsync, Duration fsyncInterval,
                      MeterRegistry metrics) {
        this.log = log;
        this.cursorDir = cursorDir;
        this.settings = settings;
        this.metrics = metrics;
        this.cursorFlusher = fsync != FsyncPolicy.NONE ? new CursorFlusher(fsyncInterval) : null;
    }

    /**
     * Adds a plugin.
     *
     * @param notifier its notifier, or {@code null} when it is disabled
     */
    public void register(String name, String source, Notifier notifier) {
        register(name, source, notifier, null);
    }

    /**
     * Adds a plugin.
     *
     * @param notifier its notifier, or {@code null} when it is disabled
     * @param fresh    makes another notifier of the plugin, for a leased lane that comes back to this instance after
     *                 its first notifier was closed; may be {@code null} in a single hub
     */
    public void register(String name, String source, Notifier notifier, Supplier<Notifier> fresh) {
        plugins.put(name, new Entry(name, source, notifier, fresh));
    }

    /** Feeds a registered plugin from {@code feed} instead of a lane of its own. */
    public void feed(String name, Feed feed) {
        plugins.get(name).feed = feed;
    }

    /** Starts every enabled plugin and its lane. */
    public void start() {
        start(null);
    }

    /**
     * Starts every enabled plugin and its lane; with {@code leases}, the lanes of plugins with side effects run only
     * while this instance holds their lease.
     */
    public void start(LaneLeases leases) {
        for (Entry e : plugins.values()) {
            if (e.notifier == null) {
                continue;
            }
            if (leases != null && e.feed == null && !(e.notifier instanceof LocalDelivery)) {
                startLeased(e, leases);
                continue;
            }
            try {
                e.notifier.start();
            } catch (RuntimeException x) {
                e.startFailure = "start failed: " + x.getMessage();
                LOG.log(System.Logger.Level.ERROR, "plugin " + e.name + " is DOWN: it failed to start", x);
                continue;
            }
            if (e.feed != null) {
                continue;
            }
            try {
                CursorStore cursor = CursorStore.open(cursorDir.resolve(e.name + ".cursor"));
                Lane lane = new Lane(e.name, e.notifier, log, cursor, settings, metrics);
                if (cursorFlusher != null) {
                    cursorFlusher.add(cursor);
                }
                lane.start();
                e.lane = lane;
            } catch (IOException x) {
                e.startFailure = "cannot open its cursor: " + x.getMessage();
                LOG.log(System.Logger.Level.ERROR, "plugin " + e.name + " is DOWN: " + e.startFailure);
            }
        }
        if (cursorFlusher != null) {
            cursorFlusher.start();
        }
    }

    private void startLeased(Entry e, LaneLeases leases) {
        try {
            Lane lane = new Lane(e.name, e.notifier, e.fresh, log, leases, settings, metrics);
            lane.start();
            e.lane = lane;
        } catch (IOException | RuntimeException x) {
            e.startFailure = "cannot start its lane: " + x.getMessage();
            LOG.log(System.Logger.Level.ERROR, "plugin " + e.name + " is DOWN: " + e.startFailure);
        }
    }

    /** The lanes with side effects this instance runs now (cluster mode; none in a single hub). */
    public List<String> leasedLanesRunning() {
        List<String> out = new ArrayList<>();
        for (Entry e : plugins.values()) {
            Lane lane = e.lane;
            if (lane != null && lane.lease() != null && lane.running()) {
                out.add(e.name);
            }
        }
        return out;
    }

    /** The plugins, in registration order. */
    public List<PluginStatus> status() {
        List<PluginStatus> out = new ArrayList<>(plugins.size());
        for (Entry e : plugins.values()) {
            out.add(status(e));
        }
        return out;
    }

    private PluginStatus status(Entry e) {
        if (e.notifier == null) {
            return new PluginStatus(e.name, e.source, false, Health.State.DOWN, "disabled", "CLOSED", 0, 0, 0, 0, 0,
                                    0, Map.of());
        }
        Lane lane = e.lane;
        if (lane != null && !lane.running() && e.startFailure == null) {
            String holder = lane.lease().holder();
            return new PluginStatus(e.name, e.source, true, Health.State.UP,
                                    holder.isEmpty() ? "standby: waiting for its lane's lease"
                                            : "standby: instance " + holder + " runs its lane",
                                    lane.circuit(), lane.cursor(), lane.lag(), lane.delivered(), lane.failed(),
                                    lane.retried(), lane.skipped(), Map.of());
        }
        Health health = health(e);
        Map<String, Object> details;
        try {
            details = e.current().details();
        } catch (RuntimeException x) {
            details = Map.of("error", String.valueOf(x.getMessage()));
        }
        Feed feed = e.feed;
        if (feed != null) {
            Map<String, Object> all = new LinkedHashMap<>(details);
            all.putAll(feed.details());
            return new PluginStatus(e.name, e.source, true, health.state(), health.reason(), feed.circuit(),
                                    feed.cursor(), Math.max(0, log.headSeq() - feed.cursor()), feed.delivered(),
                                    feed.failed(), feed.retried(), feed.skipped(), all);
        }
        if (lane == null) {
            return new PluginStatus(e.name, e.source, true, health.state(), health.reason(), "CLOSED", 0,
                                    0, 0, 0, 0, 0, details);
        }
        return new PluginStatus(e.name, e.source, true, health.state(), health.reason(), lane.circuit(),
                                lane.cursor(), lane.lag(), lane.delivered(), lane.failed(), lane.retried(),
                                lane.skipped(), details);
    }

    private static Health health(Entry e) {
        if (e.startFailure != null) {
            return Health.down(e.startFailure);
        }
        Health own;
        try {
            own = e.current().health();
        } catch (RuntimeException x) {
            own = Health.down("health check failed: " + x);
        }
        Lane lane = e.lane;
        if (e.feed != null && e.startFailure == null) {
            return own.worst(e.feed.health());
        }
        return lane == null ? own : own.worst(lane.health());
    }

    /**
     * Lets every lane reach the current head (or the timeout pass), closes the notifiers and saves the
     * cursors.
     *
     * @return whether every lane reached the head
     */
    /** The least time a plugin's close gets, even when the drain used up the shutdown timeout. */
    private static final Duration MIN_CLOSE = Duration.ofSeconds(2);

    /**
     * Closes a plugin on a thread of its own and waits until {@code deadline} (at least {@link #MIN_CLOSE}): a plugin
     * that deadlocks in close is reported and left behind, and the stop goes on (its cursor is saved as it stands).
     */
    private boolean close(Entry e, long deadline) {
        Thread closing = Thread.ofVirtual().name("plugin-close-" + e.name).start(() -> {
            try {
                e.current().close();
            } catch (Exception x) {
                LOG.log(System.Logger.Level.WARNING, "plugin " + e.name + ": close failed: " + x.getMessage());
            }
        });
        long wait = Math.max(MIN_CLOSE.toNanos(), deadline - System.nanoTime());
        try {
            if (closing.join(Duration.ofNanos(wait))) {
                return true;
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
        closing.interrupt();
        LOG.log(System.Logger.Level.ERROR, "plugin " + e.name + " did not close within "
                + Duration.ofNanos(wait).toMillis() + " ms (deadlocked?); the hub stops without it, and the plugin"
                + " goes on from its saved cursor after a restart");
        return false;
    }

    public boolean stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        List<Thread> drains = new ArrayList<>();
        boolean[] reached = new boolean[plugins.size()];
        int i = 0;
        for (Entry e : plugins.values()) {
            Lane lane = e.lane;
            int index = i++;
            if (lane == null) {
                reached[index] = true;
                continue;
            }
            drains.add(Thread.ofVirtual().start(() -> reached[index] = lane.drain(deadline)));
        }
        for (Thread t : drains) {
            try {
                t.join();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        if (cursorFlusher != null) {
            cursorFlusher.close();
        }
        i = 0;
        for (Entry e : plugins.values()) {
            if (!reached[i++]) {
                all = false;
                LOG.log(System.Logger.Level.WARNING, "plugin " + e.name + " stopped before reaching the log head"
                        + " (cursor " + e.lane.cursor() + ", head " + log.headSeq() + "); it goes on from there"
                        + " after a restart");
            }
            // A leased lane that moved to another instance closed its notifier itself.
            if (e.notifier != null && (e.lane == null || !e.lane.notifierClosed()) && !close(e, deadline)) {
                all = false;
            }
            if (e.lane != null) {
                e.lane.saveAndClose();
            }
        }
        return all;
    }
}
