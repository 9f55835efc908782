package io.alerthub.websocket;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.alerthub.spi.Meters;


/**
 * The plugin's meters, {@code alerthub.websocket.*}: connections and subscriptions now, messages sent and
 * received, connections the hub closed (by reason) and upgrades it refused (by reason).
 */
final class WsMetrics {

    /** Why the hub closed a connection; the code and reason the client sees. */
    enum CloseReason {
        SLOW_CONSUMER(1008, "slow consumer"),
        RATE_LIMIT(1008, "rate limit"),
        HEARTBEAT_TIMEOUT(1001, "heartbeat timeout"),
        MESSAGE_TOO_BIG(1009, "message too big"),
        AUTHENTICATION_FAILED(4001, "Authentication failed"),
        TOKEN_EXPIRED(1008, "token expired"),
        SHUTDOWN(1001, "hub shutting down");

        final int code;
        final String reason;

        CloseReason(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why an upgrade was refused, with the HTTP status it got. */
    enum Refusal {
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        ORIGIN(403),
        CAPACITY(503),
        BAD_REQUEST(400);

        final int status;

        Refusal(int status) {
            this.status = status;
        }

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final Map<CloseReason, LongAdder> closes = new EnumMap<>(CloseReason.class);
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);

    WsMetrics() {
        for (CloseReason r : CloseReason.values()) {
            closes.put(r, new LongAdder());
        }
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /** Registers the meters; {@code connections} and {@code subscriptions} are read at each scrape. */
    void register(Meters meters, LongSupplier connections, LongSupplier subscriptions) {
        meters.gauge("alerthub.websocket.connections", "Open WebSocket connections (both endpoints)", connections);
        meters.gauge("alerthub.websocket.subscriptions", "Characteristic ids, topic patterns and event patterns"
                + " subscribed, over all connections", subscriptions);
        meters.counter("alerthub.websocket.messages.sent", "Messages written to WebSocket clients (events and the"
                + " hub's own)", sent::sum);
        meters.counter("alerthub.websocket.messages.received", "Messages received from WebSocket clients",
                       received::sum);
        for (CloseReason r : CloseReason.values()) {
            meters.counter("alerthub.websocket.closes", "Connections the hub closed, by reason",
                           Map.of("reason", r.tag()), closes.get(r)::sum);
        }
        for (Refusal r : Refusal.values()) {
            meters.counter("alerthub.websocket.upgrades.refused", "WebSocket upgrades refused, by reason",
                           Map.of("reason", r.tag()), refused.get(r)::sum);
        }
    }

    void sent(int messages) {
        sent.add(messages);
    }

    void received() {
        received.increment();
    }

    void closed(CloseReason reason) {
        closes.get(reason).increment();
    }

    void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    long sent() {
        return sent.sum();
    }

    long closes(CloseReason reason) {
        return closes.get(reason).sum();
    }

    long refusals(Refusal reason) {
        return refused.get(reason).sum();
    }
}
