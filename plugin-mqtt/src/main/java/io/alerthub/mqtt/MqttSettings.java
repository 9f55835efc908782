package io.alerthub.mqtt;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.SubscriptionPattern;

/**
 * {@code plugins.mqtt}, read and checked once. Every key is described in {@code docs/mqtt.md}.
 *
 * @param brokerUri          {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId           the MQTT client id (the broker keeps the session under it)
 * @param username           empty: none
 * @param password           empty: none; never logged ({@link #toString()} hides it)
 * @param topicTemplate      the topic of events with a characteristic
 * @param fallbackTemplate   the topic of events without one
 * @param qos                QoS per event type; {@code default} for the rest
 * @param retain             event types published retained
 * @param messageExpiry      message expiry per event type; {@code default} for the rest; absent: none
 * @param sessionExpiry      how long the broker keeps the session (and the ack bridge's queued messages) while
 *                           the hub is away
 * @param keepAlive          MQTT keep-alive
 * @param connectTimeout     how long one connection attempt may take
 * @param reconnectMinDelay  the first wait before reconnecting; doubled per failed attempt
 * @param reconnectMaxDelay  the longest wait between attempts
 * @param maxInflight        publishes sent but not yet acknowledged, at most (the broker's receive maximum
 *                           lowers it)
 * @param drainTimeout       how long a stop waits for the broker to acknowledge what is in flight
 * @param tls                trust and key stores for {@code ssl://}
 * @param retireType         the event type that clears a characteristic's retained messages; empty: none
 * @param ackBridge          the inbound acknowledgement bridge
 */
record MqttSettings(URI brokerUri, String clientId, String username, String password, TopicTemplate topicTemplate,
                    TopicTemplate fallbackTemplate, Map<String, Integer> qos, Set<String> retain,
                    Map<String, Duration> messageExpiry, Duration sessionExpiry, Duration keepAlive,
                    Duration connectTimeout, Duration reconnectMinDelay, Duration reconnectMaxDelay, int maxInflight,
                    Duration drainTimeout, Tls tls, String retireType, AckBridge ackBridge) {

    static final String DEFAULT = "default";
    /** MQTT's largest session expiry interval and message expiry interval (a four-byte integer), in seconds. */
    static final long MAX_INTERVAL_SECONDS = 0xFFFF_FFFFL;

    /**
     * TLS for {@code ssl://} brokers.
     *
     * @param trustStore         CA certificates the broker's certificate must chain to: a PKCS#12 or JKS key
     *                           store, or a PEM file; absent: the JVM's default trust store
     * @param trustStorePassword the trust store's password (PKCS#12/JKS)
     * @param keyStore           the hub's own certificate and key, for brokers that require client certificates
     * @param keyStorePassword   its password (also the key's)
     * @param verifyHostname     whether the broker's certificate must name the host of {@code broker-uri}
     */
    record Tls(Optional<Path> trustStore, String trustStorePassword, Optional<Path> keyStore, String keyStorePassword,
               boolean verifyHostname) {

        @Override
        public String toString() {
            return "Tls[trustStore=" + trustStore.map(Path::toString).orElse("default") + ", keyStore="
                    + keyStore.map(Path::toString).orElse("none") + ", verifyHostname=" + verifyHostname + "]";
        }
    }

    /**
     * Devices acknowledging violations over MQTT.
     *
     * @param enabled     off by default
     * @param topicFilter a filter with exactly one {@code +} level: the violation id
     * @param qos         the subscription's QoS
     */
    record AckBridge(boolean enabled, String topicFilter, int qos) {

        /** The position of the violation id among the filter's levels. */
        int idLevel() {
            return List.of(topicFilter.split("/", -1)).indexOf("+");
        }
    }

    static MqttSettings create(ConfigNode c) {
        URI broker = c.uri("broker-uri", "tcp://127.0.0.1:1883");
        String scheme = broker.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw c.error("broker-uri", "'" + broker + "' must start with tcp:// or ssl://");
        }
        if (broker.getHost() == null || broker.getHost().isEmpty()) {
            throw c.error("broker-uri", "'" + broker + "' needs a host (tcp://host:1883)");
        }
        String clientId = c.string("client-id", "alerthub");
        if (clientId.isEmpty() || TopicEncoding.utf8Length(clientId) > 65_535
                || clientId.codePoints().anyMatch(Character::isISOControl)) {
            throw c.error("client-id", "must be 1 to 65535 bytes of printable characters");
        }
        String username = c.string("username", "");
        String password = c.string("password", "");
        TopicTemplate topic = template(c, "topic-template", "alerthub/characteristic/{characteristic_id}/{type}");
        TopicTemplate fallback = template(c, "fallback-topic-template", "alerthub/event/{type}");
        if (fallback.uses(TopicTemplate.Placeholder.CHARACTERISTIC_ID)) {
            throw c.error("fallback-topic-template", "is used for events without a characteristic, so it cannot"
                    + " use {characteristic_id}");
        }

        Map<String, Integer> qos = new LinkedHashMap<>();
        qos.put(DEFAULT, 1);
        qos.put("sample", 0);
        perType(c, "qos", (section, name, type) -> qos.put(type, section.integer(name, 1, 0, 2)));

        Set<String> retain = new LinkedHashSet<>();
        for (String type : c.strings("retain", List.of("control_limits"))) {
            retain.add(eventType(c, "retain", type));
        }

        Map<String, Duration> expiry = new LinkedHashMap<>();
        perType(c, "message-expiry", (section, name, type) -> expiry.put(type, interval(section, name, null)));

        Duration sessionExpiry = interval(c, "session-expiry", Duration.ofHours(1));
        Duration keepAlive = c.duration("keep-alive", Duration.ofSeconds(30));
        if (keepAlive.toSeconds() > 65_535) {
            throw c.error("keep-alive", "must be at most 65535 seconds (MQTT's limit)");
        }
        Duration connectTimeout = c.positiveDuration("connect-timeout", Duration.ofSeconds(10));
        Duration minDelay = c.positiveDuration("reconnect-min-delay", Duration.ofSeconds(1));
        Duration maxDelay = c.positiveDuration("reconnect-max-delay", Duration.ofSeconds(30));
        if (maxDelay.compareTo(minDelay) < 0) {
            throw c.error("reconnect-max-delay", "must not be shorter than reconnect-min-delay (" + minDelay + ")");
        }
        int maxInflight = c.integer("max-inflight", 100, 1, 65_535);
        Duration drain = c.duration("drain-timeout", Duration.ofSeconds(5));

        Tls tls = new Tls(optionalPath(c, "trust-store"), c.string("trust-store-password", ""),
                          optionalPath(c, "key-store"), c.string("key-store-password", ""),
                          c.bool("tls-verify-hostname", true));
        if (!scheme.equals("ssl")) {
            for (String key : List.of("trust-store", "key-store")) {
                if (c.exists(key) && !c.string(key, "").isBlank()) {
                    throw c.error(key, "is only used with an ssl:// broker-uri (broker-uri is " + broker + ")");
                }
            }
        }

        String retireType = c.string("retire-type", "characteristic.retired");
        if (!retireType.isEmpty()) {
            eventType(c, "retire-type", retireType);
        }

        ConfigNode bridge = c.child("ack-bridge");
        AckBridge ackBridge = new AckBridge(bridge.bool("enabled", false),
                                            ackFilter(bridge, bridge.string("topic", "alerthub/ack/+")),
                                            bridge.integer("qos", 1, 0, 2));

        return new MqttSettings(broker, clientId, username, password, topic, fallback, Map.copyOf(qos),
                                Collections.unmodifiableSet(retain), Map.copyOf(expiry), sessionExpiry, keepAlive, connectTimeout,
                                minDelay, maxDelay, maxInflight, drain, tls, retireType, ackBridge);
    }

    int qosOf(String type) {
        Integer q = qos.get(type);
        return q != null ? q : qos.get(DEFAULT);
    }

    boolean retained(String type) {
        return retain.contains(type);
    }

    /** The message expiry interval of {@code type}, in seconds, when one is set (zero: none, overriding a default). */
    OptionalLong expirySecondsOf(String type) {
        Duration d = messageExpiry.get(type);
        if (d == null) {
            d = messageExpiry.get(DEFAULT);
        }
        return d == null || d.isZero() ? OptionalLong.empty() : OptionalLong.of(d.toSeconds());
    }

    boolean tlsEnabled() {
        return brokerUri.getScheme().equalsIgnoreCase("ssl");
    }

    @Override
    public String toString() {
        return "MqttSettings[broker=" + brokerUri + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password.isEmpty() ? "none" : "***") + ", topicTemplate=" + topicTemplate
                + ", fallbackTemplate=" + fallbackTemplate + ", qos=" + qos + ", retain=" + retain + ", tls=" + tls
                + ", ackBridge=" + ackBridge + "]";
    }

    private static TopicTemplate template(ConfigNode c, String key, String defaultValue) {
        try {
            return TopicTemplate.parse(c.string(key, defaultValue));
        } catch (IllegalArgumentException e) {
            throw c.error(key, e.getMessage());
        }
    }

    /** Reads one entry of a per-type map: {@code name} is the key within {@code section}, {@code type} the whole type. */
    private interface EntryReader {
        void read(ConfigNode section, String name, String type);
    }

    /**
     * Reads a map keyed by event type. Event types contain dots, which YAML keys turn into nesting
     * ({@code alert.created: 2} is {@code alert: {created: 2}}), so the section is walked and the path is the type.
     */
    private static void perType(ConfigNode c, String key, EntryReader reader) {
        c.accept(key);
        ConfigNode section = c.child(key);
        if (c.exists(key) && section.keys().isEmpty() && !c.string(key, "").isBlank()) {
            throw c.error(key, "must be a map of event type: value");
        }
        walk(section, "", reader);
    }

    private static void walk(ConfigNode section, String prefix, EntryReader reader) {
        for (String name : section.keys()) {
            ConfigNode child = section.child(name);
            if (!child.keys().isEmpty()) {
                walk(child, prefix + name + ".", reader);
                continue;
            }
            String type = prefix + name;
            if (!type.equals(DEFAULT)) {
                eventType(section, name, type);
            }
            reader.read(section, name, type);
        }
    }

    private static String eventType(ConfigNode c, String key, String type) {
        if (type.length() > SubscriptionPattern.MAX_TYPE_LENGTH || !SubscriptionPattern.TYPE.matcher(type).matches()) {
            throw c.error(key, "'" + type + "' is not an event type (" + SubscriptionPattern.TYPE.pattern()
                    + ", at most " + SubscriptionPattern.MAX_TYPE_LENGTH + " characters)");
        }
        return type;
    }

    private static Duration interval(ConfigNode c, String key, Duration defaultValue) {
        Duration d = c.duration(key, defaultValue);
        if (d == null) {
            return null;
        }
        if (d.toSeconds() > MAX_INTERVAL_SECONDS) {
            throw c.error(key, "must be at most " + MAX_INTERVAL_SECONDS + " seconds (MQTT's limit)");
        }
        if (d.isPositive() && d.toSeconds() == 0) {
            throw c.error(key, "is counted in whole seconds: give at least 1s");
        }
        return d;
    }

    private static Optional<Path> optionalPath(ConfigNode c, String key) {
        String v = c.string(key, "");
        return v.isBlank() ? Optional.empty() : Optional.of(c.path(key, v));
    }

    private static String ackFilter(ConfigNode c, String filter) {
        String[] levels = filter.split("/", -1);
        int ids = 0;
        for (String level : levels) {
            if (level.equals("+")) {
                ids++;
            } else if (level.contains("+") || level.contains("#")) {
                throw c.error("topic", "'" + filter + "' may use only one whole '+' level (the violation id) and no"
                        + " '#'");
            }
        }
        if (ids != 1 || filter.startsWith("$") || filter.chars().anyMatch(ch -> ch < 0x20)) {
            throw c.error("topic", "'" + filter + "' must have exactly one '+' level, where devices put the"
                    + " violation id (alerthub/ack/+)");
        }
        return filter;
    }
}
