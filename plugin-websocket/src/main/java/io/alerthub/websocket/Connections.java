package io.alerthub.websocket;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.alerthub.spi.EventHistory;
import io.alerthub.websocket.WsMetrics.CloseReason;

import io.helidon.websocket.WsSession;

/**
 * Every open connection: admission against {@code max-connections}, opening, closing and freeing, and the
 * heartbeat, one scheduled task for all connections (pings, timeouts, cutting connections that did not take
 * their close frame in time, freeing connections whose socket ended without a close).
 */
final class Connections {

    private static final System.Logger LOG = System.getLogger(Connections.class.getName());
    /** An upgrade accepted but never opened (the client left during the handshake) gives its slot back after this. */
    private static final long UPGRADE_EXPIRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final WebSocketSettings settings;
    private final Router router;
    private final EventHistory history;
    private final Set<String> broadcastTypes;
    private final WsMetrics metrics;
    private final Map<UUID, Connection> open = new ConcurrentHashMap<>();
    private final Map<Object, Long> pendingUpgrades = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();
    private volatile boolean full;
    private ScheduledExecutorService heartbeat;

    Connections(WebSocketSettings settings, Router router, EventHistory history, Set<String> broadcastTypes,
                WsMetrics metrics) {
        this.settings = settings;
        this.router = router;
        this.history = history;
        this.broadcastTypes = Set.copyOf(broadcastTypes);
        this.metrics = metrics;
    }

    WsMetrics metrics() {
        return metrics;
    }

    EventHistory history() {
        return history;
    }

    boolean isBroadcast(String type) {
        return broadcastTypes.contains(type);
    }

    /** Starts the heartbeat: one task ticking a few times per interval. */
    void start() {
        long tick = Math.clamp(Math.min(settings.heartbeatInterval().toMillis(), settings.heartbeatTimeout().toMillis()) / 4,
                               20, 1000);
        heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("websocket-heartbeat").factory());
        heartbeat.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- admission ----

    /** Takes a slot for an upgrade; {@code false} when {@code max-connections} are open or opening. */
    boolean reserve(Object upgrade) {
        if (slots.incrementAndGet() > settings.maxConnections()) {
            slots.decrementAndGet();
            if (!full) {
                full = true;
                LOG.log(System.Logger.Level.WARNING, "websocket: " + settings.maxConnections()
                        + " connections open (max-connections); refusing new ones with 503");
            }
            return false;
        }
        pendingUpgrades.put(upgrade, System.nanoTime());
        return true;
    }

    /** Gives back the slot of an upgrade that will not open. */
    void cancel(Object upgrade) {
        if (pendingUpgrades.remove(upgrade) != null) {
            freeSlot();
        }
    }

    // ---- opening ----

    /**
     * Opens an AlertHub-dialect connection: {@code welcome} first, then {@code subscribed} for a subscription given
     * at connect, then the replay when {@code since} was given.
     */
    Connection openAlertHub(Object upgrade, WsSession session, boolean compressed, Subscription subscription,
                            OptionalLong since) {
        Connection c = create(upgrade, session, Connection.Dialect.ALERTHUB, compressed);
        boolean[] fits = {true};
        router.register(c, subscription, laneSeq -> {
            c.startAfter(laneSeq);
            fits[0] = c.offer(Messages.welcome(c.id(), laneSeq, settings.heartbeatInterval().toMillis(),
                                               settings.heartbeatTimeout().toMillis()))
                    && (subscription.isEmpty() || c.offer(Messages.subscribed(subscription)))
                    && (since.isEmpty() || c.offerReplay(since.getAsLong()));
        });
        if (!fits[0]) {
            close(c, CloseReason.SLOW_CONSUMER);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + c + " opened");
        return c;
    }

    /** Opens an OpenSPC-dialect connection; it says nothing until the client does. */
    Connection openOpenSpc(Object upgrade, WsSession session, boolean compressed) {
        Connection c = create(upgrade, session, Connection.Dialect.OPENSPC, compressed);
        router.register(c, Subscription.EMPTY, c::startAfter);
        LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + c + " opened (OpenSPC)");
        return c;
    }

    /** OpenSPC's refusal: the connection is accepted, told why, and closed with 4001. */
    Connection refuseOpenSpc(Object upgrade, WsSession session, boolean compressed, String message) {
        Connection c = create(upgrade, session, Connection.Dialect.OPENSPC, compressed);
        c.offer(Messages.openSpcError(message));
        close(c, CloseReason.AUTHENTICATION_FAILED);
        return c;
    }

    private Connection create(Object upgrade, WsSession session, Connection.Dialect dialect, boolean compressed) {
        SessionTransport transport;
        try {
            transport = SessionTransport.create(session);
        } catch (RuntimeException e) {
            cancel(upgrade);
            throw e;
        }
        if (pendingUpgrades.remove(upgrade) == null) {
            // Its reservation expired while the handshake dragged on: take the slot again.
            slots.incrementAndGet();
        }
        Connection c = new Connection(UUID.randomUUID(), dialect, compressed, transport, Thread.currentThread(), this,
                                      settings, System.nanoTime());
        open.put(c.id(), c);
        return c;
    }

    /**
     * Tells every client of the AlertHub dialect that events {@code fromSeq..toSeq} will never reach it (removed before
     * the lane read them): {@code replay_gap}, queued before any later event, so it reloads rather than silently
     * missing them. OpenSPC's dialect has no such message.
     */
    void gap(long fromSeq, long toSeq) {
        byte[] frame = Messages.replayGap(fromSeq, toSeq);
        for (Connection c : open.values()) {
            if (c.dialect() == Connection.Dialect.ALERTHUB && c.state() == Connection.State.OPEN) {
                offer(c, frame);
            }
        }
    }

    /**
     * The token the client connected with has expired: OpenSPC's client is told as at a refused connect and closed
     * with 4001; an AlertHub client is closed with 1008 {@code token expired} (it reconnects with a fresh token and
     * resumes).
     */
    private void expired(Connection c) {
        if (c.dialect() == Connection.Dialect.OPENSPC) {
            c.offer(Messages.openSpcError("Invalid or expired token"));
            close(c, CloseReason.AUTHENTICATION_FAILED);
        } else {
            close(c, CloseReason.TOKEN_EXPIRED);
        }
    }

    /** Queues a message of the hub's; a full queue closes the client as a slow consumer. */
    void offer(Connection c, byte[] frame) {
        if (!c.offer(frame)) {
            close(c, CloseReason.SLOW_CONSUMER);
        }
    }

    // ---- closing ----

    /** The hub closes a connection: it is taken out of routing now and its socket is cut after close-timeout. */
    void close(Connection c, CloseReason reason) {
        router.remove(c);
        // Only a refused OpenSPC client is owed what is queued (the error saying why); the others are cut short.
        boolean afterQueued = reason == CloseReason.AUTHENTICATION_FAILED;
        if (c.closeWith(reason.code, reason.reason, System.nanoTime() + settings.closeTimeout().toNanos(),
                        afterQueued)) {
            metrics.closed(reason);
            System.Logger.Level level = reason == CloseReason.SHUTDOWN || reason == CloseReason.AUTHENTICATION_FAILED
                    ? System.Logger.Level.DEBUG
                    : System.Logger.Level.INFO;
            LOG.log(level, () -> "websocket: closing " + c + " with " + reason.code + " " + reason.reason
                    + explain(reason));
        }
    }

    /** The client closed the connection (its close frame arrived). Called on the connection's reader thread. */
    void closedByClient(Connection c, int status, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + c + " closed by the client: " + status + " " + reason);
        release(c);
        c.quiesceWriter(settings.closeTimeout().toNanos());
    }

    /** The writer failed: the socket is gone. */
    void lost(Connection c, Throwable cause) {
        if (c.state() == Connection.State.OPEN) {
            LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + c + " lost: " + cause);
        }
        c.abort();
        release(c);
    }

    /** Frees everything the connection holds; idempotent. */
    void release(Connection c) {
        router.remove(c);
        if (c.markClosed()) {
            open.remove(c.id());
            freeSlot();
        }
    }

    private void freeSlot() {
        if (slots.decrementAndGet() < settings.maxConnections() && full) {
            full = false;
            LOG.log(System.Logger.Level.INFO, "websocket: below max-connections again; accepting connections");
        }
    }

    private String explain(CloseReason reason) {
        return switch (reason) {
            case SLOW_CONSUMER -> " (its send queue of " + settings.sendQueue() + " messages is full)";
            case RATE_LIMIT -> " (more than " + settings.rateLimit().perSecond() + " messages per second, burst "
                    + settings.rateLimit().burst() + ")";
            case HEARTBEAT_TIMEOUT -> " (silent for more than " + settings.heartbeatTimeout().toMillis() + " ms)";
            case MESSAGE_TOO_BIG -> " (a message over " + settings.maxMessageBytes() + " bytes)";
            case TOKEN_EXPIRED -> " (the JWT it connected with expired)";
            case AUTHENTICATION_FAILED, SHUTDOWN -> "";
        };
    }

    // ---- heartbeat ----

    private void tick() {
        try {
            long now = System.nanoTime();
            long timeout = settings.heartbeatTimeout().toNanos();
            long interval = settings.heartbeatInterval().toNanos();
            long pingSeq = -1;
            byte[] ping = null;
            for (Connection c : open.values()) {
                switch (c.state()) {
                    case OPEN -> {
                        if (!c.readerAlive()) {
                            // The socket ended without a close frame (client vanished, Helidon's own close).
                            LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + c + " lost");
                            release(c);
                        } else if (now - c.lastHeard() > timeout) {
                            close(c, CloseReason.HEARTBEAT_TIMEOUT);
                        } else if (c.expired(now)) {
                            expired(c);
                        } else if (c.pingDue(now, interval)) {
                            if (c.dialect() == Connection.Dialect.OPENSPC) {
                                offer(c, WsFrames.PING);
                            } else {
                                long seq = router.laneSeq();
                                if (seq != pingSeq) {
                                    pingSeq = seq;
                                    ping = Messages.ping(seq);
                                }
                                offer(c, ping);
                            }
                        }
                    }
                    case CLOSING -> {
                        if (!c.readerAlive()) {
                            release(c);
                        } else if (now - c.closeDeadline() > 0) {
                            // It never took its close frame (a client that stopped reading): cut the socket.
                            c.abort();
                            release(c);
                        }
                    }
                    case CLOSED -> open.remove(c.id());
                }
            }
            for (Map.Entry<Object, Long> p : pendingUpgrades.entrySet()) {
                if (now - p.getValue() > UPGRADE_EXPIRY_NANOS && pendingUpgrades.remove(p.getKey(), p.getValue())) {
                    freeSlot();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "websocket: heartbeat failed: " + e, e);
        }
    }

    // ---- shutdown and facts ----

    /** Closes every connection (1001), waits up to close-timeout for them to go, then cuts the rest. */
    void stop() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        for (Connection c : open.values()) {
            close(c, CloseReason.SHUTDOWN);
        }
        long deadline = System.nanoTime() + Math.min(settings.closeTimeout().toNanos(), Duration.ofSeconds(2).toNanos());
        while (!open.isEmpty() && System.nanoTime() - deadline < 0) {
            for (Connection c : open.values()) {
                if (!c.readerAlive()) {
                    release(c);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection c : open.values()) {
            c.abort();
            release(c);
        }
    }

    int size() {
        return open.size();
    }

    long subscriptions() {
        long n = 0;
        for (Connection c : open.values()) {
            n += c.subscription().size();
        }
        return n;
    }

    /** Counts for {@code GET /api/v1/plugins}. */
    Map<String, Object> details() {
        int alertHub = 0;
        int openSpc = 0;
        int replaying = 0;
        int closing = 0;
        long subscriptions = 0;
        int unacknowledged = 0;
        int critical = 0;
        long lagMax = 0;
        long lagSum = 0;
        for (Connection c : open.values()) {
            if (c.state() == Connection.State.CLOSING) {
                closing++;
            }
            if (c.dialect() == Connection.Dialect.OPENSPC) {
                openSpc++;
            } else {
                alertHub++;
            }
            if (c.replaying()) {
                replaying++;
            }
            subscriptions += c.subscription().size();
            if (c.receivedCritical()) {
                critical++;
                long lag = c.ackLag();
                lagMax = Math.max(lagMax, lag);
                lagSum += lag;
                if (c.unacknowledged()) {
                    unacknowledged++;
                }
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("connections", alertHub + openSpc);
        d.put("openspc_connections", openSpc);
        d.put("closing", closing);
        d.put("replaying", replaying);
        d.put("subscriptions", subscriptions);
        d.put("last_seq", router.laneSeq());
        d.put("unacknowledged_clients", unacknowledged);
        d.put("ack_lag_max", lagMax);
        d.put("ack_lag_avg", critical == 0 ? 0.0 : Math.round(lagSum * 10.0 / critical) / 10.0);
        d.put("messages_sent", metrics.sent());
        d.put("slow_consumer_closes", metrics.closes(CloseReason.SLOW_CONSUMER));
        d.put("heartbeat_closes", metrics.closes(CloseReason.HEARTBEAT_TIMEOUT));
        d.put("max_connections", settings.maxConnections());
        return d;
    }
}
