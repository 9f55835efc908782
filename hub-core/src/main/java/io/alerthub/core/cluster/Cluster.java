package io.alerthub.core.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.alerthub.core.config.ClusterSettings;
import io.alerthub.core.config.HubSettings;
import io.alerthub.core.dispatch.LaneLease;
import io.alerthub.core.dispatch.LaneLeases;
import io.alerthub.core.dispatch.LeasedState;
import io.alerthub.core.log.SegmentedEventLog;
import io.alerthub.core.notify.Silences;
import io.alerthub.spi.ConfigException;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StreamState;

/**
 * Cluster mode for one hub instance: the engine connection, the stream and its local copy (the event log), the
 * leases of the lanes with side effects, and the instance's membership. {@code Hub} uses it only with
 * {@code cluster.enabled}; the design and its reasons are in docs/architecture.md, *Cluster mode*.
 */
public final class Cluster implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String STREAM_ID = "stream.id";

    private final ClusterSettings settings;
    private final Engine engine;
    private final Instant streamCreated;
    private final KeyValue kv;
    private final Clock clock;
    private volatile JetStreamEventLog log;
    private volatile KvLaneLeases leases;
    private volatile Membership membership;
    private volatile KvSharedSilences silences;
    private volatile LaneLease alarms;
    private volatile String instanceId = "";

    private Cluster(ClusterSettings settings, Engine engine, Instant streamCreated, Clock clock) {
        this.settings = settings;
        this.engine = engine;
        this.streamCreated = streamCreated;
        this.kv = engine.bucket();
        this.clock = clock;
    }

    /**
     * Connects to the engine and makes sure the stream and the bucket are there, as configured.
     *
     * @throws ConfigException naming the key when the engine cannot be reached or the stream has other settings
     */
    public static Cluster connect(ClusterSettings settings, HubSettings hub, Clock clock) {
        Engine engine = Engine.connect(settings);
        try {
            Instant created = StreamSetup.ensure(engine, settings, hub);
            LOG.log(System.Logger.Level.INFO, "cluster: on stream " + settings.stream() + " at "
                    + engine.connection().getConnectedUrl());
            return new Cluster(settings, engine, created, clock);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Where this instance keeps its copy of the stream and its local lanes' cursors. */
    public static Path localDir(Path dataDir, ClusterSettings settings) {
        return dataDir.resolve("cluster").resolve(settings.stream());
    }

    /**
     * Opens this instance's copy of the stream and starts keeping it up to date; returns once it has caught up with
     * the stream as it was (at most a minute, logged when longer than a moment).
     *
     * @param dir       {@link #localDir}: a copy of another stream of the same name (deleted and made again) is
     *                  thrown away first
     * @param cacheSize the newest events kept in memory
     */
    public JetStreamEventLog openLog(Path dir, HubSettings hub, int cacheSize) {
        belongsToStream(dir);
        SegmentedEventLog copy = SegmentedEventLog.openCopy(dir.resolve("log"), hub.log(), cacheSize, clock);
        StreamMirror mirror = new StreamMirror(engine, settings, copy);
        try {
            long from = copy.headSeq() > 0 ? copy.headSeq() + 1 : firstToCopy(hub.historySize());
            mirror.start(from);
            catchUp(mirror, copy);
        } catch (RuntimeException e) {
            mirror.close();
            copy.close();
            throw e;
        }
        log = new JetStreamEventLog(copy, new StreamPublisher(engine, settings.subject(), settings.stream(),
                                                              settings.publishTimeout()),
                                    mirror, settings.publishTimeout());
        return log;
    }

    /** The cursors of this instance's own lanes (those every instance runs). */
    public static Path cursorDir(Path localDir) {
        return localDir.resolve("cursors");
    }

    /**
     * Joins the cluster as {@code instanceId} (once the server listens at {@code url}): starts the membership and
     * returns the leases the lanes with side effects run under.
     *
     * @param lanes the lanes with side effects this instance runs, as they change
     */
    public LaneLeases join(String instanceId, String url, Supplier<List<String>> lanes) {
        this.instanceId = instanceId;
        this.leases = new KvLaneLeases(kv, instanceId, settings.takeoverAfter(), clock);
        // The alarms' announcements (alarm_update events): one instance at a time, while it holds this lease.
        this.alarms = leases.lease("alarms", () -> 0);
        Membership m = new Membership(kv, instanceId, url, settings.takeoverAfter(), lanes, clock);
        m.start();
        this.membership = m;
        LOG.log(System.Logger.Level.INFO, "cluster: joined as instance " + instanceId + " (takeover after "
                + settings.takeoverAfter() + ")");
        return leases;
    }

    /**
     * Shares the silences with the other instances through the bucket ({@code silences}): this instance takes the
     * cluster's, and its changes and theirs reach every instance.
     */
    public void shareSilences(Silences local) {
        KvSharedSilences shared = new KvSharedSilences(kv);
        local.share(shared);
        this.silences = shared;
    }

    /** The state of the single consumer {@code name} (the notification policy), kept beside its lease. */
    public LeasedState state(String name) {
        return new KvLeasedState(kv, name);
    }

    /** Whether this instance announces the alarms' changes now (it holds their lease). */
    public boolean announcesAlarms() {
        LaneLease l = alarms;
        return l != null && l.held();
    }

    /** Whether the engine is reachable now. */
    public boolean engineUp() {
        return engine.up();
    }

    /** This instance's id; empty until it joined. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * What {@code GET /api/v1/cluster} answers: this instance, the engine's state, the head, the members and the
     * lanes with side effects (PROTOCOL section 9, with the stream and the leases besides).
     */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance_id", instanceId);
        out.put("engine", engine.up() ? "UP" : "DOWN");
        out.put("engine_url", engine.up() ? String.valueOf(engine.connection().getConnectedUrl()) : "");
        JetStreamEventLog l = log;
        out.put("head_seq", l == null ? 0 : l.headSeq());
        out.put("stream", settings.stream());
        out.put("stream_last_seq", l == null ? 0 : l.streamLast());
        out.put("trimmed", l == null ? 0 : l.trimmed());
        Membership m = membership;
        List<Map<String, Object>> members = new ArrayList<>();
        List<Map<String, Object>> lanes = new ArrayList<>();
        if (m != null) {
            for (Membership.Member member : m.members()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("instance_id", member.instanceId());
                e.put("last_seen", member.lastSeen().toString());
                e.put("lanes", member.lanes());
                e.put("url", member.url());
                members.add(e);
            }
            for (Membership.Lane lane : m.leases()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", lane.name());
                e.put("holder", lane.holder());
                e.put("cursor", lane.cursor());
                lanes.add(e);
            }
        }
        out.put("members", members);
        out.put("lanes", lanes);
        return out;
    }

    /**
     * The first seq an empty copy takes: far enough back for history ({@code hub.history-size}) and for the oldest
     * cursor of a leased lane (this instance may take that lane over), no further than the stream holds.
     */
    private long firstToCopy(int historySize) {
        try {
            StreamState state = engine.management().getStreamInfo(settings.stream()).getStreamState();
            long first = Math.max(1, state.getFirstSequence());
            long from = Math.max(first, state.getLastSequence() - historySize + 1);
            for (String key : kv.keys("lane.>")) {
                KeyValueEntry e = kv.get(key);
                long cursor = e == null ? -1 : LeaseValue.parse(e.getValue()).cursor();
                if (cursor >= 0) {
                    from = Math.min(from, cursor + 1);
                }
            }
            return Math.max(first, from);
        } catch (IOException | JetStreamApiException e) {
            throw new ConfigException("cluster.nats-urls", "cannot read the stream " + settings.stream() + ": "
                    + Engine.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the stream", e);
        }
    }

    private void catchUp(StreamMirror mirror, SegmentedEventLog copy) {
        long target = mirror.refreshStreamLast();
        long start = System.nanoTime();
        long deadline = start + CATCH_UP.toNanos();
        boolean logged = false;
        try {
            while (copy.headSeq() < target && System.nanoTime() - deadline < 0) {
                copy.awaitAfter(target - 1, Duration.ofSeconds(2));
                if (!logged && copy.headSeq() < target) {
                    logged = true;
                    LOG.log(System.Logger.Level.INFO, "cluster: copying the stream: at seq " + copy.headSeq() + " of "
                            + target);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (copy.headSeq() < target) {
            LOG.log(System.Logger.Level.WARNING, "cluster: the local copy is at seq " + copy.headSeq() + " of "
                    + target + " after " + CATCH_UP.toSeconds() + " s; going on while it catches up");
        }
    }

    /** Throws away a local copy made from another stream of the same name (it was deleted and created again). */
    private void belongsToStream(Path dir) {
        Path id = dir.resolve(STREAM_ID);
        String expected = settings.stream() + " " + streamCreated;
        try {
            if (Files.isRegularFile(id)) {
                String found = Files.readString(id, StandardCharsets.UTF_8).trim();
                if (found.equals(expected)) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "cluster: the local copy in " + dir + " is of an earlier stream"
                        + " named " + settings.stream() + " (" + found + "); starting a new copy");
                deleteTree(dir);
            }
            Files.createDirectories(dir);
            Files.writeString(id, expected + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Leaves the cluster (after the lanes stopped and released their leases) and closes the engine connection. */
    @Override
    public void close() {
        Membership m = membership;
        if (m != null) {
            m.close();
        }
        LaneLease a = alarms;
        if (a != null) {
            a.release();
        }
        KvSharedSilences s = silences;
        if (s != null) {
            s.close();
        }
        KvLaneLeases l = leases;
        if (l != null) {
            l.close();
        }
        engine.close();
    }
}
