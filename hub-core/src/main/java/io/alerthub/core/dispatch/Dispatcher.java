package io.alerthub.core.dispatch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.core.config.DispatchSettings;
import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.log.EventLog;
import io.alerthub.spi.Health;
import io.alerthub.spi.Notifier;

import io.helidon.metrics.api.MeterRegistry;

/**
 * Runs one {@link Lane} per enabled plugin and answers for their state. Plugins are registered before
 * {@link #start()}; a plugin whose {@code start()} throws is reported DOWN and gets no lane (its cursor
 * stays where it was, so nothing is lost for it). A plugin fed by something else (a human channel, fed notifications
 * by the notification policy) gets no lane either: its {@link Feed} answers for it. Under the {@code batch} fsync
 * policy it also runs the {@link CursorFlusher} that makes the lanes' cursors durable (the promise is
 * {@link CursorStore}'s).
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
    /** {@code null} unless the log's fsync policy is {@code batch}. */
    private final CursorFlusher cursorFlusher;
    private final Map<String, Entry> plugins = new LinkedHashMap<>();

    private static final class Entry {
        final String name;
        final String source;
        final Notifier notifier;
        volatile Feed feed;
        volatile Lane lane;
        volatile String startFailure;

        Entry(String name, String source, Notifier notifier) {
            this.name = name;
            this.source = source;
            this.notifier = notifier;
        }
    }

    /**
     * @param fsync         the event log's fsync policy: under {@code batch} the cursors are forced too
     * @param fsyncInterval how often the cursors that moved are forced then
     */
    public Dispatcher(EventLog log, Path cursorDir, DispatchSettings settings, FsyncPolicy fsync, Duration fsyncInterval,
                      MeterRegistry metrics) {
        this.log = log;
        this.cursorDir = cursorDir;
        this.settings = settings;
        this.metrics = metrics;
        this.cursorFlusher = fsync == FsyncPolicy.BATCH ? new CursorFlusher(fsyncInterval) : null;
    }

    /**
     * Adds a plugin.
     *
     * @param notifier its notifier, or {@code null} when it is disabled
     */
    public void register(String name, String source, Notifier notifier) {
        plugins.put(name, new Entry(name, source, notifier));
    }

    /** Feeds a registered plugin from {@code feed} instead of a lane of its own. */
    public void feed(String name, Feed feed) {
        plugins.get(name).feed = feed;
    }

    /** Starts every enabled plugin and its lane. */
    public void start() {
        for (Entry e : plugins.values()) {
            if (e.notifier == null) {
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
        Health health = health(e);
        Lane lane = e.lane;
        Map<String, Object> details;
        try {
            details = e.notifier.details();
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
            own = e.notifier.health();
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
                e.notifier.close();
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
            if (e.notifier != null && !close(e, deadline)) {
                all = false;
            }
            if (e.lane != null) {
                e.lane.saveAndClose();
            }
        }
        return all;
    }
}
