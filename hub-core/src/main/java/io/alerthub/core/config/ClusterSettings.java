package io.alerthub.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigNode;

/**
 * {@code cluster}: several hubs sharing one event stream on NATS JetStream (docs/architecture.md, *Cluster mode*).
 * Read and checked whether or not it is enabled, so a bad value is named before anyone turns it on.
 *
 * @param enabled        whether this hub is one instance of a cluster
 * @param natsUrls       the NATS servers ({@code nats://HOST:PORT}, {@code tls://HOST:PORT}); any one of them will do
 * @param stream         the JetStream stream holding the events; its KV bucket of leases and members is
 *                       {@code <stream>_CLUSTER}
 * @param replicas       the stream's and the bucket's replicas (3 on a 3-node NATS cluster in production)
 * @param instanceId     this instance's name among the members; empty = host name and port
 * @param takeoverAfter  how long a lane with side effects may go without its instance renewing the lease before
 *                       another instance takes it over
 * @param publishTimeout how long ingest keeps trying to have a batch stored before answering 503
 * @param username       NATS user (with {@code password}), or empty
 * @param password       NATS password
 * @param token          NATS token, or empty
 * @param tls            whether to speak TLS to NATS (also implied by a {@code tls://} URL)
 * @param tlsCaFile      a PEM file of the CA that signed the servers' certificates; empty = the JDK's trust store
 */
public record ClusterSettings(boolean enabled, List<URI> natsUrls, String stream, int replicas, String instanceId,
                              Duration takeoverAfter, Duration publishTimeout, String username, String password,
                              String token, boolean tls, Optional<Path> tlsCaFile) {

    /** JetStream's rule for stream names, kept to what is also safe in a subject and a KV bucket name. */
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern INSTANCE = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public static ClusterSettings create(ConfigNode c) {
        boolean enabled = c.bool("enabled", false);
        List<URI> urls = new ArrayList<>();
        for (String url : c.strings("nats-urls", List.of("nats://127.0.0.1:4222"))) {
            urls.add(natsUrl(c, url));
        }
        if (urls.isEmpty()) {
            throw c.error("nats-urls", "needs at least one NATS URL (nats://HOST:PORT)");
        }
        String stream = c.string("stream", "ALERTHUB_EVENTS");
        if (!STREAM.matcher(stream).matches()) {
            throw c.error("stream", "'" + stream + "' is not a stream name: 1 to 64 of A-Z a-z 0-9 _ -");
        }
        String instance = c.string("instance-id", "");
        if (!instance.isEmpty() && !INSTANCE.matcher(instance).matches()) {
            throw c.error("instance-id", "must be 1 to 128 printable characters without spaces");
        }
        Duration takeover = c.positiveDuration("takeover-after", Duration.ofSeconds(10));
        if (takeover.compareTo(Duration.ofMillis(500)) < 0) {
            throw c.error("takeover-after", "must be at least PT0.5S (the lease is renewed five times within it)");
        }
        String username = c.string("username", "");
        String password = c.string("password", "");
        String token = c.string("token", "");
        if (!username.isEmpty() && !token.isEmpty()) {
            throw c.error("token", "give either username and password or a token, not both");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw c.error("username", "a password needs a username");
        }
        ConfigNode tls = c.child("tls");
        boolean tlsUrl = urls.stream().anyMatch(u -> u.getScheme().equals("tls"));
        Optional<Path> ca = tls.exists("ca-file") && !tls.string("ca-file", "").isEmpty()
                ? Optional.of(tls.path("ca-file", "")) : Optional.empty();
        return new ClusterSettings(enabled, List.copyOf(urls), stream, c.integer("replicas", 1, 1, 5), instance, takeover,
                                   c.positiveDuration("publish-timeout", Duration.ofSeconds(5)), username, password,
                                   token, tls.bool("enabled", false) || tlsUrl || ca.isPresent(), ca);
    }

    private static URI natsUrl(ConfigNode c, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw c.error("nats-urls", "'" + value + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("nats") || scheme.equals("tls")) || uri.getHost() == null
                || uri.getPort() < 1 || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw c.error("nats-urls", "'" + value + "' is not a NATS URL (nats://HOST:PORT or tls://HOST:PORT)");
        }
        return uri;
    }

    /** The KV bucket of the cluster's leases, cursors and members. */
    public String bucket() {
        return stream + "_CLUSTER";
    }

    /** The subject the stream's events are published on. */
    public String subject() {
        return "alerthub." + stream + ".events";
    }
}
