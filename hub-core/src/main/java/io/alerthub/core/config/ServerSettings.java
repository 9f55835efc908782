package io.alerthub.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.alerthub.spi.ConfigNode;

/**
 * {@code server}: where and how the hub listens.
 *
 * @param host           the address to bind (loopback by default)
 * @param port           the port; 0 picks a free one, logged at start
 * @param tls            PEM certificate and key: the listener speaks only TLS
 * @param corsOrigins    origins a browser may call the API from (empty: no CORS headers at all)
 * @param maxConnections the most TCP connections at once; further ones wait in the accept backlog. Capped at start
 *                       below the process's file descriptor limit (0 = that cap alone)
 * @param headerTimeout  how long a client may take to send a request's line and headers, from its first byte
 * @param bodyTimeout    how long a client may take to send a published body
 * @param idleTimeout    a connection that sends nothing for this long is closed (keep it above the WebSocket
 *                       heartbeat timeout)
 */
public record ServerSettings(String host, int port, Optional<Tls> tls, List<String> corsOrigins, int maxConnections,
                             Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout) {

    /**
     * {@code server.tls}.
     *
     * @param certFile the certificate chain (PEM), the server's first
     * @param keyFile  its private key (PEM, PKCS#8 or PKCS#1/SEC1)
     * @param reloadInterval how often the files are checked for a change, served without a restart (0 = never)
     */
    public record Tls(Path certFile, Path keyFile, Duration reloadInterval) {
    }

    public static ServerSettings create(ConfigNode c) {
        return new ServerSettings(c.string("host", "127.0.0.1"),
                                  c.integer("port", 8080, 0, 65_535),
                                  tls(c.child("tls")),
                                  origins(c.child("cors")),
                                  c.integer("max-connections", 0, 0, 10_000_000),
                                  c.positiveDuration("header-timeout", Duration.ofSeconds(10)),
                                  c.positiveDuration("body-timeout", Duration.ofSeconds(30)),
                                  c.positiveDuration("idle-timeout", Duration.ofMinutes(2)));
    }

    private static Optional<Tls> tls(ConfigNode c) {
        Optional<String> cert = c.string("cert-file").filter(s -> !s.isBlank());
        Optional<String> key = c.string("key-file").filter(s -> !s.isBlank());
        if (cert.isEmpty() && key.isEmpty()) {
            c.string("reload-interval");
            return Optional.empty();
        }
        if (cert.isEmpty()) {
            throw c.error("cert-file", "is required with key-file");
        }
        if (key.isEmpty()) {
            throw c.error("key-file", "is required with cert-file");
        }
        return Optional.of(new Tls(c.path("cert-file", ""), c.path("key-file", ""),
                                   c.duration("reload-interval", Duration.ofMinutes(1))));
    }

    private static List<String> origins(ConfigNode c) {
        List<String> origins = c.strings("allowed-origins", List.of());
        for (String o : origins) {
            if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
                throw c.error("allowed-origins", "'" + o + "' is not an origin (scheme://host[:port], no path)");
            }
        }
        return List.copyOf(origins);
    }

    /** The scheme clients use: {@code https} with TLS. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
