package io.alerthub.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.alerthub.spi.Backoff;


import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Keeps one connection to the broker: connects on a virtual thread of its own, notices when the connection is
 * lost, and reconnects with exponential backoff (with jitter) for as long as the plugin runs, whatever the
 * failure (a bad password is reported {@code DOWN} but still retried, slowly, so a fix on the broker side is
 * picked up).
 *
 * <p>Every connection is a fresh Paho client with in-memory persistence, so Paho never resends packets of an
 * earlier connection (see {@link InFlightWindow} for why); the broker-side session is still resumed
 * ({@code clean start = false} with a session expiry), which keeps the ack bridge's subscription and the
 * acknowledgements devices sent while the hub was away.
 */
final class BrokerConnection {

    private static final System.Logger LOG = System.getLogger(BrokerConnection.class.getName());
    /**
     * Paho writes its CONNECT packet, password included, to these loggers at FINE: they are capped at INFO so that
     * turning on debug logging never puts the password in a log. (System.Logger cannot set levels; JUL is what
     * Paho logs to.) Held here because JUL forgets a level set on a logger nobody references.
     */
    private static final java.util.logging.Logger PAHO_LOG =
            java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client");

    /** What the owner does with a connection. */
    interface Listener {

        /**
         * A connection is up; called on the connection's own thread before it is reported up. Throwing (or the
         * link dying meanwhile) makes it count as a failed attempt.
         */
        void connected(BrokerLink link) throws MqttException, InterruptedException;

        /** The connection is gone (called from a client thread; must not block). */
        void lost(BrokerLink link);

        /** A message from a subscription; throwing drops the connection without acknowledging the message. */
        void messageArrived(String topic, MqttMessage message) throws Exception;
    }

    /** Where the connection stands. */
    enum Phase { STARTING, CONNECTING, UP, AWAY, DOWN, CLOSED }

    /**
     * The connection's state, for health and details.
     *
     * @param phase    where it stands
     * @param reason   why it is not up (empty when up)
     * @param since    when this phase began
     * @param attempts failed attempts since the last connection
     */
    record Status(Phase phase, String reason, Instant since, int attempts) {
    }

    private final MqttSettings settings;
    private final Backoff backoff;
    private final String name;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile Status status = new Status(Phase.STARTING, "not started", Instant.now(), 0);
    private volatile BrokerLink current;
    private volatile boolean closing;
    private volatile boolean everConnected;
    private int generation;
    private Thread thread;

    BrokerConnection(MqttSettings settings, String name, Listener listener) {
        this.settings = settings;
        this.backoff = new Backoff(settings.reconnectMinDelay(), settings.reconnectMaxDelay());
        this.name = name;
        this.listener = listener;
    }

    void start() {
        java.util.logging.Level level = PAHO_LOG.getLevel();
        if (level == null || level.intValue() < java.util.logging.Level.INFO.intValue()) {
            PAHO_LOG.setLevel(java.util.logging.Level.INFO);
        }
        status = new Status(Phase.CONNECTING, "connecting to " + settings.brokerUri(), Instant.now(), 0);
        thread = Thread.ofVirtual().name("mqtt-connection-" + name).start(this::run);
    }

    Status status() {
        return status;
    }

    /** Connections made after the first one. */
    long reconnects() {
        return reconnects.get();
    }

    /** Drops a connection that misbehaves (a publish failed while it claimed to be up); it is replaced. */
    void drop(BrokerLink link, String reason) {
        if (link.markLost(reason)) {
            listener.lost(link);
            signal();
        }
    }

    /**
     * Stops reconnecting and closes the connection: a clean DISCONNECT, which keeps the broker-side session for
     * {@code session-expiry}.
     */
    void close() {
        closing = true;
        signal();
        Thread t = thread;
        if (t != null) {
            try {
                if (!t.join(Duration.ofSeconds(5))) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        BrokerLink link = current;
        current = null;
        if (link != null) {
            link.close(true);
        }
        status = new Status(Phase.CLOSED, "closed", Instant.now(), 0);
    }

    private void run() {
        int failures = 0;
        while (!closing) {
            BrokerLink link = current;
            if (link != null && link.alive()) {
                awaitChange(Long.MAX_VALUE);
                continue;
            }
            if (link != null) {
                current = null;
                link.close(false);
                failures = Math.max(failures, 1);
                Status s = status;
                if (s.phase() == Phase.UP) {
                    away(new ConnectFailure(true, "connection to " + settings.brokerUri() + " lost: "
                            + link.lostReason()), 0);
                }
            }
            if (failures > 0 && !awaitChange(backoff.delay(failures).toNanos())) {
                break;
            }
            if (closing) {
                break;
            }
            BrokerLink next;
            try {
                next = connect(++generation);
            } catch (ConnectFailure.AttemptFailed e) {
                failures++;
                away(e.failure(), failures);
                continue;
            }
            current = next;
            try {
                listener.connected(next);
            } catch (MqttException e) {
                drop(next, ConnectFailure.lost(0, null, e));
            } catch (InterruptedException e) {
                break;
            }
            if (!next.alive()) {
                failures++;
                continue;
            }
            Status before = status;
            status = new Status(Phase.UP, "", Instant.now(), 0);
            if (everConnected) {
                reconnects.incrementAndGet();
                LOG.log(System.Logger.Level.INFO, "plugin " + name + ": connected to " + settings.brokerUri()
                        + " again after " + human(Duration.between(before.since(), Instant.now()))
                        + " (session present: " + next.sessionPresent() + ")");
            } else {
                LOG.log(System.Logger.Level.INFO, "plugin " + name + ": connected to " + settings.brokerUri()
                        + " as " + settings.clientId() + " (session present: " + next.sessionPresent() + ")");
            }
            everConnected = true;
            failures = 0;
        }
    }

    private void away(ConnectFailure failure, int attempts) {
        Status before = status;
        Phase phase = failure.heals() ? Phase.AWAY : Phase.DOWN;
        boolean changedState = before.phase() != phase || !before.reason().equals(failure.reason());
        Instant since = before.phase() == Phase.UP || before.phase() == Phase.CONNECTING ? Instant.now() : before.since();
        status = new Status(phase, failure.reason(), since, attempts);
        if (changedState) {
            LOG.log(phase == Phase.DOWN ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    "plugin " + name + ": " + (phase == Phase.DOWN ? "DOWN: " : "") + failure.reason()
                            + "; retrying with backoff up to " + human(settings.reconnectMaxDelay()));
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 || d.toMillis() >= 10_000 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private BrokerLink connect(int gen) throws ConnectFailure.AttemptFailed {
        String broker = settings.brokerUri().toString();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        options.setAutomaticReconnect(false);
        if (!settings.username().isEmpty()) {
            options.setUserName(settings.username());
        }
        if (!settings.password().isEmpty()) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
        if (settings.tlsEnabled()) {
            try {
                options.setSocketFactory(NoDelaySockets.tls(TlsSockets.factory(settings.tls())));
            } catch (TlsSockets.StoreException e) {
                throw new ConnectFailure.AttemptFailed(new ConnectFailure(false, e.getMessage()));
            }
            options.setHttpsHostnameVerificationEnabled(settings.tls().verifyHostname());
        } else {
            options.setSocketFactory(NoDelaySockets.plain());
        }
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(broker, settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new ConnectFailure.AttemptFailed(new ConnectFailure(false, "cannot create an MQTT client for " + broker
                    + ": " + e.getMessage()));
        }
        BrokerLink link = new BrokerLink(client, gen);
        client.setCallback(new Callback(link));
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(settings.connectTimeout().toMillis() + 1000);
            MqttProperties props = token.getResponseProperties();
            link.connected(token.getSessionPresent(),
                           props == null || props.getReceiveMaximum() == null ? 65_535 : props.getReceiveMaximum(),
                           props == null ? null : props.getMaximumPacketSize());
            return link;
        } catch (MqttException | RuntimeException e) {
            link.markLost(e.getMessage());
            link.close(false);
            throw new ConnectFailure.AttemptFailed(ConnectFailure.of(e, broker, settings.username()));
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a lost connection, a close, or the time to pass; {@code false} when closing. */
    private boolean awaitChange(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (!closing && left > 0) {
                BrokerLink link = current;
                if (link != null && !link.alive()) {
                    return true;
                }
                left = changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                if (nanos == Long.MAX_VALUE) {
                    left = Long.MAX_VALUE;
                }
            }
            return !closing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** One client's callbacks, bound to its link so that a late call from an old client changes nothing. */
    private final class Callback implements MqttCallback {
        private final BrokerLink link;

        Callback(BrokerLink link) {
            this.link = link;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String reason = ConnectFailure.lost(response.getReturnCode(), response.getReasonString(),
                                                response.getException());
            if (link.markLost(reason)) {
                listener.lost(link);
                signal();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(System.Logger.Level.DEBUG, "plugin " + name + ": client error: " + exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            listener.messageArrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // each publish has its own listener
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // the connect token says it all
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
