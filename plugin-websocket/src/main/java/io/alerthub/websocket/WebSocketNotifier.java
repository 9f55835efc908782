package io.alerthub.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.LocalDelivery;
import io.alerthub.spi.Notifier;
import io.alerthub.spi.RouteContributor;
import io.alerthub.websocket.WsMetrics.CloseReason;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The WebSocket channel: serves {@code /ws} (and OpenSPC's {@code /ws/samples} when enabled) and routes each event
 * of its lane to the connections it reaches. {@link #deliver} only matches and enqueues; every connection has its
 * own bounded queue and writer, so a slow or dead client never holds up the lane or another client.
 *
 * <p>It delivers to this instance's clients only ({@link LocalDelivery}): in cluster mode every instance runs it.
 */
final class WebSocketNotifier implements Notifier, RouteContributor, LocalDelivery {

    private static final System.Logger LOG = System.getLogger(WebSocketNotifier.class.getName());

    private final WebSocketSettings settings;
    private final HubContext hub;
    private final WsMetrics metrics = new WsMetrics();
    private final Router router;
    private final Connections connections;
    private final Upgrades upgrades;
    private final List<Connection> overflowed = new ArrayList<>();

    WebSocketNotifier(WebSocketSettings settings, HubContext hub) {
        this.settings = settings;
        this.hub = hub;
        this.router = new Router(hub.broadcastTypes());
        this.connections = new Connections(settings, router, hub.history(), hub.broadcastTypes(), metrics);
        this.upgrades = new Upgrades(settings, hub.authenticator(), connections, metrics);
    }

    @Override
    public void routing(HttpRouting.Builder http, WsRouting.Builder ws) {
        // Connections may arrive as soon as the server is up, before start(): they join at the log head.
        router.startAt(hub.history().headSeq());
        metrics.register(hub.meters(), connections::size, connections::subscriptions);
        AlertHubEndpoint alertHub = new AlertHubEndpoint(settings, upgrades, connections, router);
        ws.endpoint(settings.path(), () -> new ConnectionListener<>(alertHub, connections, settings.maxMessageBytes()));
        http.get(settings.path(), upgrades::answer);
        if (settings.openspc().enabled()) {
            OpenSpcEndpoint openSpc = new OpenSpcEndpoint(settings, upgrades, connections, router);
            ws.endpoint(settings.openspc().path(),
                        () -> new ConnectionListener<>(openSpc, connections, settings.maxMessageBytes()));
            http.get(settings.openspc().path(), upgrades::answer);
        }
    }

    @Override
    public void start() {
        connections.start();
        LOG.log(System.Logger.Level.INFO, "websocket: serving " + settings.path()
                + (settings.openspc().enabled() ? " and OpenSPC's " + settings.openspc().path() : "")
                + " (heartbeat " + settings.heartbeatInterval().toMillis() + " ms, timeout "
                + settings.heartbeatTimeout().toMillis() + " ms, send-queue " + settings.sendQueue()
                + ", max-connections " + settings.maxConnections() + ")");
    }

    @Override
    public void deliver(Event event) {
        router.route(event, overflowed);
        if (!overflowed.isEmpty()) {
            for (Connection c : overflowed) {
                connections.close(c, CloseReason.SLOW_CONSUMER);
            }
            overflowed.clear();
        }
    }

    /** Events the lane will never have: every client is told ({@code replay_gap}) before the next event. */
    @Override
    public void skipped(long fromSeq, long toSeq) {
        connections.gap(fromSeq, toSeq);
    }

    @Override
    public Health health() {
        int open = connections.size();
        if (open >= settings.maxConnections()) {
            return Health.degraded(open + " connections: max-connections reached, new clients are refused");
        }
        return Health.up();
    }

    @Override
    public Map<String, Object> details() {
        return connections.details();
    }

    @Override
    public void close() {
        int open = connections.size();
        connections.stop();
        LOG.log(System.Logger.Level.INFO, "websocket: stopped" + (open == 0 ? "" : "; closed " + open + " connections"));
    }
}
