package io.alerthub.mqtt;

import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.alerthub.spi.DeliveryException;
import io.alerthub.spi.Event;
import io.alerthub.spi.Health;
import io.alerthub.spi.HeldEvents;
import io.alerthub.spi.HubContext;
import io.alerthub.spi.Notifier;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Publishes events to an MQTT 5 broker.
 *
 * <p>{@link #deliver(Event)} hands an event's messages to the client and returns without waiting for the
 * broker: up to {@code max-inflight} messages are in flight at once. The event is held (see {@link HeldEvents})
 * until the broker acknowledged every message of it (QoS 1/2) or the client wrote it out (QoS 0), so the hub's
 * durable cursor only passes what the broker has. While the broker is away, {@code deliver} throws
 * {@link DeliveryException#unavailable}: the lane waits at its cursor and the plugin reports {@code DEGRADED};
 * on the next connection the held events are published again first, in order, then the lane goes on.
 */
final class MqttNotifier implements Notifier, HeldEvents, BrokerConnection.Listener {

    private static final System.Logger LOG = System.getLogger(MqttNotifier.class.getName());
    /** Paho counts a QoS 0 message as in flight a moment longer than its completion says; wait that moment. */
    private static final long INFLIGHT_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final MqttSettings settings;
    private final HubContext hub;
    private final String name;
    private final PublishPlanner planner;
    private final InFlightWindow window;
    private final MqttMeters meters = new MqttMeters();
    private final BrokerConnection connection;
    private final AckBridge bridge;
    private final LogThrottle refusals;
    /** Keeps publishes in seq order: the lane's and the republishing after a reconnect never interleave. */
    private final ReentrantLock publishLock = new ReentrantLock();
    private volatile BrokerLink ready;
    private volatile String bridgeProblem = "";
    private volatile long lastHandled;
    private volatile boolean started;

    MqttNotifier(MqttSettings settings, HubContext hub) {
        this.settings = settings;
        this.hub = hub;
        this.name = hub.pluginName();
        this.planner = new PublishPlanner(settings);
        this.window = new InFlightWindow(settings.maxInflight());
        this.connection = new BrokerConnection(settings, name, this);
        this.bridge = settings.ackBridge().enabled() ? new AckBridge(settings.ackBridge(), hub, meters, LOG) : null;
        this.refusals = new LogThrottle(LOG, 10, TimeUnit.SECONDS);
    }

    @Override
    public void start() {
        meters.register(hub.meters(), () -> readyLink() == null ? 0 : 1, window::outstanding, window::size,
                        connection::reconnects);
        started = true;
        connection.start();
    }

    @Override
    public void deliver(Event event) throws DeliveryException {
        List<PublishPlanner.Outbound> plan;
        try {
            plan = planner.plan(event);
        } catch (IllegalArgumentException e) {
            meters.publishFailures.incrementAndGet();
            throw DeliveryException.permanent("no valid topic: " + e.getMessage());
        }
        BrokerLink link = readyLink();
        if (link == null) {
            throw DeliveryException.unavailable(awayReason());
        }
        String tooLarge = tooLarge(plan, link);
        if (tooLarge != null) {
            meters.publishFailures.incrementAndGet();
            throw DeliveryException.permanent(tooLarge);
        }
        try {
            publishLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.unavailable("interrupted while waiting to publish");
        }
        try {
            link = readyLink();
            if (link == null) {
                throw DeliveryException.unavailable(awayReason());
            }
            InFlightWindow.Held held = window.add(event, plan, link.generation());
            lastHandled = event.seq();
            // From here on the event is held: if the connection drops now, it is published again on the next one.
            send(link, held);
        } finally {
            publishLock.unlock();
        }
    }

    /** The connection to publish on: up, and done publishing again what the previous one left unacknowledged. */
    private BrokerLink readyLink() {
        BrokerLink link = ready;
        return link != null && link.alive() ? link : null;
    }

    /** Sends the messages of {@code held} on {@code link}; returns early, leaving it held, when the link dies. */
    private void send(BrokerLink link, InFlightWindow.Held held) {
        for (PublishPlanner.Outbound message : held.messages) {
            try {
                if (!window.awaitSpace(link::alive)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (true) {
                window.sending(held);
                try {
                    link.client().publish(message.topic(), message.toMessage(), null,
                                          new Confirmation(link, held, message));
                    break;
                } catch (MqttException e) {
                    window.notSent(held);
                    if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && link.alive()
                            && !Thread.currentThread().isInterrupted()) {
                        LockSupport.parkNanos(INFLIGHT_RETRY_NANOS);
                        continue;
                    }
                    if (link.alive()) {
                        connection.drop(link, "publish failed: " + e.getMessage());
                    }
                    return;
                } catch (RuntimeException e) {
                    // A client bug, not a channel failure: the lane retries the event, which replaces this one.
                    window.notSent(held);
                    throw e;
                }
            }
        }
    }

    private static String tooLarge(List<PublishPlanner.Outbound> plan, BrokerLink link) {
        Long max = link.maximumPacketSize();
        if (max == null) {
            return null;
        }
        for (PublishPlanner.Outbound m : plan) {
            if (m.packetBytes() > max) {
                return "needs a packet of up to " + m.packetBytes() + " bytes on topic " + m.topic()
                        + "; the broker accepts at most " + max;
            }
        }
        return null;
    }

    @Override
    public void connected(BrokerLink link) throws MqttException, InterruptedException {
        if (bridge != null) {
            subscribeBridge(link);
        }
        window.capacity(Math.min(settings.maxInflight(), link.receiveMaximum()));
        publishLock.lockInterruptibly();
        try {
            List<InFlightWindow.Held> again = window.restart(link.generation());
            int messages = 0;
            for (InFlightWindow.Held held : again) {
                if (!link.alive()) {
                    return;
                }
                String tooLarge = tooLarge(held.messages, link);
                if (tooLarge != null) {
                    window.drop(held);
                    meters.publishFailures.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": event seq " + held.event.seq()
                            + " dropped: it " + tooLarge);
                    continue;
                }
                messages += held.messages.size();
                send(link, held);
            }
            meters.republished.addAndGet(messages);
            if (!link.alive()) {
                return;
            }
            if (!again.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "plugin " + name + ": published " + again.size() + " events again"
                        + " that the broker had not acknowledged (seq " + again.getFirst().event.seq() + ".."
                        + again.getLast().event.seq() + ")");
            }
            ready = link;
        } finally {
            publishLock.unlock();
        }
    }

    private void subscribeBridge(BrokerLink link) throws MqttException {
        MqttSubscription subscription = new MqttSubscription(bridge.topicFilter(), bridge.qos());
        // Not our own publishes, and never a retained message: an acknowledgement is an act, not a state.
        subscription.setNoLocal(true);
        subscription.setRetainHandling(2);
        IMqttToken token = link.client().subscribe(subscription);
        token.waitForCompletion(settings.connectTimeout().toMillis());
        int[] codes = token.getReasonCodes();
        String problem = codes != null && codes.length > 0 && codes[0] >= 0x80
                ? "ack bridge: the broker refused the subscription to " + bridge.topicFilter() + ": "
                + ConnectFailure.reasonCode(codes[0])
                : "";
        if (!problem.equals(bridgeProblem)) {
            LOG.log(problem.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "plugin " + name + ": " + (problem.isEmpty() ? "ack bridge subscribed to " + bridge.topicFilter()
                            : problem));
        }
        bridgeProblem = problem;
    }

    @Override
    public void lost(BrokerLink link) {
        if (ready == link) {
            ready = null;
        }
        window.wake();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (bridge != null && bridge.matches(topic)) {
            bridge.handle(topic, message);
        }
    }

    @Override
    public long oldestHeld() {
        return window.oldestHeld();
    }

    @Override
    public Health health() {
        if (!started) {
            return Health.degraded("not started");
        }
        BrokerConnection.Status s = connection.status();
        return switch (s.phase()) {
            case UP -> bridgeProblem.isEmpty() ? Health.up() : Health.degraded(bridgeProblem);
            case STARTING, CONNECTING -> Health.degraded("connecting to " + settings.brokerUri() + backlog());
            case AWAY -> Health.degraded(s.reason() + " (since " + s.since().truncatedTo(ChronoUnit.SECONDS) + ", "
                                                 + s.attempts() + " attempts)" + backlog());
            case DOWN -> Health.down(s.reason() + backlog());
            case CLOSED -> Health.down("closed");
        };
    }

    /** How far behind the broker is, as far as the plugin knows (the lane's lag is in the plugin list too). */
    private String backlog() {
        int held = window.size();
        long through = held > 0 ? window.oldestHeld() - 1 : lastHandled;
        if (through <= 0 && held == 0) {
            return "";
        }
        long behind = Math.max(0, hub.history().headSeq() - through);
        return "; " + behind + " events not yet on the broker (" + held + " held for acknowledgement), the lane"
                + " waits at its cursor";
    }

    private String awayReason() {
        BrokerConnection.Status s = connection.status();
        return s.phase() == BrokerConnection.Phase.UP ? "connection to " + settings.brokerUri() + " lost; reconnecting"
                : s.reason();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        BrokerLink link = readyLink();
        d.put("broker", settings.brokerUri().toString());
        d.put("client_id", settings.clientId());
        d.put("connected", link != null);
        d.put("session_present", link != null && link.sessionPresent());
        d.put("inflight", window.outstanding());
        d.put("inflight_limit", window.capacity());
        d.put("held", window.size());
        d.put("published", meters.published.get());
        d.put("publish_failures", meters.publishFailures.get());
        d.put("republished", meters.republished.get());
        d.put("reconnects", connection.reconnects());
        if (bridge != null) {
            d.put("ack_bridge", Map.of("topic", bridge.topicFilter(), "accepted", meters.acksBridged.get(),
                                       "rejected", meters.acksRejected.get()));
        }
        return d;
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        try {
            if (readyLink() != null && !window.awaitEmpty(settings.drainTimeout().toNanos())) {
                LOG.log(System.Logger.Level.WARNING, "plugin " + name + ": stopping with " + window.size()
                        + " events the broker has not acknowledged; they are published again after the restart");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }

    /** The broker's answer to one message. */
    private final class Confirmation implements MqttActionListener {
        private final BrokerLink link;
        private final InFlightWindow.Held held;
        private final PublishPlanner.Outbound message;

        Confirmation(BrokerLink link, InFlightWindow.Held held, PublishPlanner.Outbound message) {
            this.link = link;
            this.held = held;
            this.message = message;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                // The broker answered, so this message is done; sending it again would be refused again.
                meters.publishFailures.incrementAndGet();
                refusals.warn("plugin " + name + ": the broker refused event seq " + held.event.seq() + " on topic "
                                      + message.topic() + ": " + ConnectFailure.reasonCode(codes[0]));
            } else {
                meters.published.incrementAndGet();
            }
            window.confirmed(held, link.generation());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            // Normally the connection is going away: the event is published again on the next one. A failure
            // on a connection that claims to be up is not trusted either: replace it.
            if (link.alive()) {
                connection.drop(link, "publish of event seq " + held.event.seq() + " failed: "
                        + exception.getMessage());
            }
        }
    }
}
