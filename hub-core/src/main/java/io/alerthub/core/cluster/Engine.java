package io.alerthub.core.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.alerthub.core.config.ClusterSettings;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.PemTrust;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The connection to the cluster's engine (NATS JetStream) and whether it is up. One per instance, shared by the
 * event log, the mirror, the leases and the membership.
 *
 * <p>Publishing while disconnected fails at once rather than being buffered by the client (its reconnect buffer is
 * off): an event refused with 503 must not be stored later behind the producer's back.
 */
final class Engine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final ClusterSettings settings;
    private final List<Runnable> onReconnect = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile boolean lost;
    private volatile boolean closing;

    private Engine(ClusterSettings settings) {
        this.settings = settings;
    }

    /**
     * Connects to one of {@code cluster.nats-urls}.
     *
     * @throws ConfigException naming {@code cluster.nats-urls} when none answers, or the TLS or login key when that
     *                         is what failed
     */
    static Engine connect(ClusterSettings settings) {
        Engine engine = new Engine(settings);
        Options.Builder options = new Options.Builder()
                .servers(settings.natsUrls().stream().map(URI::toString).toArray(String[]::new))
                .connectionName("alerthub")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .reconnectJitter(Duration.ofMillis(100))
                .reconnectBufferSize(0)
                .connectionTimeout(Duration.ofSeconds(2))
                // A server that vanished without closing the socket is noticed within about two pings.
                .pingInterval(Duration.ofSeconds(2))
                .maxPingsOut(2)
                .connectionListener(engine::connectionEvent)
                .errorListener(new QuietErrors());
        if (!settings.username().isEmpty()) {
            options.userInfo(settings.username(), settings.password());
        }
        if (!settings.token().isEmpty()) {
            options.token(settings.token().toCharArray());
        }
        if (settings.tls()) {
            options.sslContext(sslContext(settings.tlsCaFile().orElse(null)));
        }
        try {
            engine.connection = Nats.connect(options.build());
        } catch (IOException e) {
            throw new ConfigException(failedKey(settings, e), "cannot reach the cluster's engine at "
                    + String.join(", ", settings.natsUrls().stream().map(URI::toString).toList()) + ": "
                    + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
        return engine;
    }

    private static String failedKey(ClusterSettings settings, IOException e) {
        String message = rootMessage(e).toLowerCase();
        if (message.contains("authorization") || message.contains("authentication")) {
            return settings.token().isEmpty() ? "cluster.username" : "cluster.token";
        }
        if (settings.tls() && (message.contains("certificate") || message.contains("handshake")
                || message.contains("pkix") || message.contains("ssl") || message.contains("tls"))) {
            return "cluster.tls.ca-file"; // the servers' certificate is not trusted: the CA file is the fix
        }
        return "cluster.nats-urls";
    }

    private static SSLContext sslContext(Path caFile) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            if (caFile == null) {
                ssl.init(null, null, null);
                return ssl;
            }
            KeyStore trust = PemTrust.trustStore(caFile);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cluster.tls.ca-file", "cannot read " + caFile + ": " + e.getMessage());
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        if (closing || connection == null) {
            return; // the hub's own stop, or a first connect that failed (start stops with its own line)
        }
        switch (event) {
            case DISCONNECTED -> {
                if (!lost) {
                    lost = true;
                    LOG.log(System.Logger.Level.WARNING, "cluster: lost the engine (NATS); ingest answers 503"
                            + " engine_unavailable until it is back");
                }
            }
            case RECONNECTED -> {
                lost = false;
                LOG.log(System.Logger.Level.INFO, "cluster: the engine is back (" + conn.getConnectedUrl()
                        + "); catching up");
                onReconnect.forEach(Runnable::run);
            }
            default -> {
                // CONNECTED is the first connect; the rest need no action
            }
        }
    }

    /** Runs {@code action} (quickly, on the client's thread) each time the connection comes back. */
    void onReconnect(Runnable action) {
        onReconnect.add(action);
    }

    /** Whether the engine is reachable now. */
    boolean up() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    Connection connection() {
        return connection;
    }

    JetStream jetStream() {
        try {
            return connection.jetStream(jetStreamOptions());
        } catch (IOException e) {
            throw new IllegalStateException("cannot use JetStream: " + e.getMessage(), e);
        }
    }

    JetStreamManagement management() {
        try {
            return connection.jetStreamManagement(jetStreamOptions());
        } catch (IOException e) {
            throw new IllegalStateException("cannot use JetStream: " + e.getMessage(), e);
        }
    }

    /** The cluster's KV bucket, with requests that give up quickly (a lease is renewed five times a takeover time). */
    KeyValue bucket() {
        Duration timeout = settings.takeoverAfter().dividedBy(5);
        if (timeout.compareTo(Duration.ofSeconds(2)) > 0) {
            timeout = Duration.ofSeconds(2);
        }
        try {
            return connection.keyValue(settings.bucket(), KeyValueOptions.builder()
                    .jetStreamOptions(JetStreamOptions.builder().requestTimeout(timeout).build())
                    .build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the KV bucket " + settings.bucket() + ": " + e.getMessage(), e);
        }
    }

    private static JetStreamOptions jetStreamOptions() {
        return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public void close() {
        closing = true;
        Connection c = connection;
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The client's errors at FINE: the hub logs what changes for an operator (engine lost, back) itself. */
    private static final class QuietErrors implements ErrorListener {
        private static final System.Logger ERRORS = System.getLogger("io.nats.client");

        @Override
        public void errorOccurred(Connection conn, String error) {
            ERRORS.log(System.Logger.Level.DEBUG, "NATS: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            ERRORS.log(System.Logger.Level.DEBUG, "NATS: " + exp);
        }
    }
}
