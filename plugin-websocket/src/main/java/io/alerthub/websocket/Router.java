package io.alerthub.websocket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import io.alerthub.spi.Event;

/**
 * Routes each event of the websocket lane to the connections it reaches, and keeps the lane's position
 * ({@code last_seq}). One lock makes "join at position N" atomic with the lane: a connection registered while the
 * lane has handed over N receives exactly the events after N.
 */
final class Router {

    /** OpenSPC's dashboard is sent every ack_update (PROTOCOL 3b), even if hub.broadcast-types leaves it out. */
    private static final Subscription.Key OPENSPC_ACKS = new Subscription.Key(Subscription.KeyKind.TYPE, "ack_update");
    /** The hub's alarm bookkeeping: OpenSPC's backend sends no such message, so its dialect does not either. */
    private static final String ALARM_UPDATE = "alarm_update";

    private final ReentrantLock lock = new ReentrantLock();
    private final SubscriptionIndex<Connection> index;
    private volatile long laneSeq;

    /**
     * The frames of one event, each built once on first need and shared by every client of that dialect: plain, and
     * compressed for the clients that agreed on permessage-deflate.
     */
    private final class Frames {
        private final Event event;
        private byte[] alertHub;
        private byte[] openSpc;
        private byte[] alertHubCompressed;
        private byte[] openSpcCompressed;

        Frames(Event event) {
            this.event = event;
        }

        byte[] forConnection(Connection c) {
            if (c.dialect() == Connection.Dialect.ALERTHUB) {
                if (c.compressed()) {
                    if (alertHubCompressed == null) {
                        alertHubCompressed = deflate.textFrame(event.json());
                    }
                    return alertHubCompressed;
                }
                if (alertHub == null) {
                    alertHub = WsFrames.text(event.json());
                }
                return alertHub;
            }
            if (c.compressed()) {
                if (openSpcCompressed == null) {
                    openSpcCompressed = deflate.textFrame(OpenSpcTranslation.json(event));
                }
                return openSpcCompressed;
            }
            if (openSpc == null) {
                openSpc = OpenSpcTranslation.frame(event);
            }
            return openSpc;
        }
    }

    /** Compresses the events of the lane's thread (route is only called there). */
    private final PermessageDeflate deflate = new PermessageDeflate();

    Router(Set<String> broadcastTypes) {
        this.index = new SubscriptionIndex<>(broadcastTypes);
    }

    /** Sets where the lane stands before it hands over its first event (the log head at start). */
    void startAt(long seq) {
        lock.lock();
        try {
            laneSeq = Math.max(laneSeq, seq);
        } finally {
            lock.unlock();
        }
    }

    /** The last seq the lane handed over (or the log head when the plugin started). */
    long laneSeq() {
        return laneSeq;
    }

    /**
     * Routes one event and moves the lane's position to it. Never blocks on a socket.
     *
     * @param overflowed receives the connections whose queue was full (to be closed as slow consumers)
     * @return how many connections it was queued for
     */
    int route(Event event, List<Connection> overflowed) {
        long seq = event.seq();
        boolean critical = event.requiresAck();
        Frames frames = new Frames(event);
        boolean alarmUpdate = ALARM_UPDATE.equals(event.type());
        lock.lock();
        try {
            int[] queued = {0};
            index.match(event, c -> {
                if (alarmUpdate && c.dialect() == Connection.Dialect.OPENSPC) {
                    return;
                }
                if (c.offerEvent(seq, frames.forConnection(c), critical)) {
                    queued[0]++;
                } else {
                    overflowed.add(c);
                }
            });
            if (seq > laneSeq) {
                laneSeq = seq;
            }
            return queued[0];
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a connection with its first subscription. {@code joined} runs under the lock with the lane's position,
     * before any event can be queued for the connection (it queues the welcome, and the replay when asked).
     */
    void register(Connection c, Subscription s, LongConsumer joined) {
        lock.lock();
        try {
            // The subscription is in place before the first message is queued: that starts the writer, which
            // may reach a replay mark at once and must see what to replay.
            c.subscription(s);
            index.add(c.entry());
            index.update(c.entry(), keys(c, s));
            joined.accept(laneSeq);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a subscription change; {@code changed} runs under the lock (it queues the answer, so that the answer
     * comes before any event routed by the new subscription).
     */
    void update(Connection c, Subscription s, Runnable changed) {
        lock.lock();
        try {
            if (c.state() != Connection.State.OPEN) {
                return;
            }
            c.subscription(s);
            index.update(c.entry(), keys(c, s));
            changed.run();
        } finally {
            lock.unlock();
        }
    }

    void remove(Connection c) {
        lock.lock();
        try {
            index.remove(c.entry());
        } finally {
            lock.unlock();
        }
    }

    private static Set<Subscription.Key> keys(Connection c, Subscription s) {
        Set<Subscription.Key> keys = s.keys();
        if (c.dialect() == Connection.Dialect.OPENSPC) {
            keys.add(OPENSPC_ACKS);
        }
        return keys;
    }
}
