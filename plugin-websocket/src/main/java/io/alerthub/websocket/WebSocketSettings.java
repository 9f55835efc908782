package io.alerthub.websocket;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.alerthub.spi.ConfigNode;

/**
 * {@code plugins.websocket}, read once and checked at load.
 *
 * @param path              the endpoint of the AlertHub dialect ({@code /ws})
 * @param heartbeatInterval how often the hub sends {@code ping} (and, on OpenSPC connections, a protocol ping)
 * @param heartbeatTimeout  how long a client may stay silent before it is closed with 1001
 * @param sendQueue         messages waiting for one client; one more closes it with 1008 {@code slow consumer}
 * @param allowedOrigins    browser origins allowed to connect; empty = any ({@code *} also means any)
 * @param maxConnections    open connections at most; an upgrade beyond it is refused with 503
 * @param maxMessageBytes   the largest client message (UTF-8 bytes); a larger one closes with 1009
 * @param maxSubscriptions  characteristic ids, topic patterns and event patterns per connection, together
 * @param rateLimit         client messages allowed per connection
 * @param closeTimeout      how long a connection being closed by the hub may take its close frame before its
 *                          socket is cut (a client that stopped reading never takes it)
 * @param openspc           the OpenSPC-compatible endpoint
 * @param permessageDeflate agree on permessage-deflate (RFC 7692) with clients that offer it: events go to them
 *                          compressed, each frame compressed once per event and dialect. On by default: 40 % fewer
 *                          bytes per delivery for an SPC sample and no more hub CPU (docs/performance.md)
 */
record WebSocketSettings(String path, Duration heartbeatInterval, Duration heartbeatTimeout, int sendQueue,
                         Set<String> allowedOrigins, int maxConnections, int maxMessageBytes, int maxSubscriptions,
                         RateLimit rateLimit, Duration closeTimeout, OpenSpc openspc, boolean permessageDeflate) {

    /** Helidon reads at most this much of one frame (its {@code max-frame-length}); a larger message never reaches us. */
    static final int MAX_FRAME_BYTES = 1 << 20;

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern ORIGIN = Pattern.compile("(?i)https?://[a-z0-9.-]+(:\\d{1,5})?");

    /**
     * A token bucket per connection: {@code burst} messages at once, refilled at {@code perSecond}.
     *
     * @param perSecond messages per second, sustained
     * @param burst     messages at once
     */
    record RateLimit(int perSecond, int burst) {
    }

    /**
     * The OpenSPC dialect (PROTOCOL section 3b).
     *
     * @param enabled whether {@code path} is served
     * @param path    {@code /ws/samples}
     */
    record OpenSpc(boolean enabled, String path) {
    }

    static WebSocketSettings create(ConfigNode c) {
        String path = path(c, "path", "/ws");
        Duration interval = c.positiveDuration("heartbeat-interval", Duration.ofSeconds(30));
        Duration timeout = c.positiveDuration("heartbeat-timeout", Duration.ofSeconds(90));
        if (timeout.compareTo(interval) <= 0) {
            throw c.error("heartbeat-timeout", "must be longer than heartbeat-interval (" + interval
                    + "), or clients that only answer the hub's pings are cut off");
        }
        int sendQueue = c.integer("send-queue", 1024, 1, 1_000_000);
        Set<String> origins = origins(c);
        int maxConnections = c.integer("max-connections", 20_000, 1, 1_000_000);
        int maxMessageBytes = c.integer("max-message-bytes", 65_536, 256, MAX_FRAME_BYTES);
        int maxSubscriptions = c.integer("max-subscriptions", 1000, 1, 1_000_000);
        ConfigNode rate = c.child("rate-limit");
        int perSecond = rate.integer("messages-per-second", 50, 1, 1_000_000);
        int burst = rate.integer("burst", Math.max(200, perSecond), 1, 1_000_000);
        Duration closeTimeout = c.positiveDuration("close-timeout", Duration.ofSeconds(5));
        ConfigNode spc = c.child("openspc");
        boolean spcEnabled = spc.bool("enabled", false);
        String spcPath = path(spc, "path", "/ws/samples");
        if (spcEnabled && spcPath.equals(path)) {
            throw spc.error("path", "must differ from " + c.key("path") + " (" + path + ")");
        }
        return new WebSocketSettings(path, interval, timeout, sendQueue, origins, maxConnections, maxMessageBytes,
                                     maxSubscriptions, new RateLimit(perSecond, burst), closeTimeout,
                                     new OpenSpc(spcEnabled, spcPath), c.bool("permessage-deflate", true));
    }

    /** Whether a browser from {@code origin} may connect ({@code null}: not a browser, always allowed). */
    boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    private static String path(ConfigNode c, String key, String defaultValue) {
        String p = c.string(key, defaultValue).trim();
        if (!PATH.matcher(p).matches()) {
            throw c.error(key, "'" + p + "' must be an absolute path of plain segments, such as /ws");
        }
        if (p.equals("/api") || p.startsWith("/api/") || p.equals("/observe") || p.startsWith("/observe/")) {
            throw c.error(key, "'" + p + "' is taken by the hub's own API");
        }
        return p;
    }

    private static Set<String> origins(ConfigNode c) {
        Set<String> out = new LinkedHashSet<>();
        for (String o : c.strings("allowed-origins", List.of())) {
            String origin = o.trim();
            if (origin.equals("*")) {
                return Set.of();
            }
            if (!ORIGIN.matcher(origin).matches()) {
                throw c.error("allowed-origins", "'" + o + "' is not an origin such as https://dashboard.example.com"
                        + " (scheme, host and optional port, no path), or *");
            }
            out.add(origin.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }
}
