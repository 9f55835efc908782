package io.alerthub.websocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code plugins.websocket}: defaults, and every bad value refused with its key named. */
class WebSocketSettingsTest {

    @Test
    void defaults() {
        WebSocketSettings s = settings("{}");
        assertEquals("/ws", s.path());
        assertEquals(Duration.ofSeconds(30), s.heartbeatInterval());
        assertEquals(Duration.ofSeconds(90), s.heartbeatTimeout());
        assertEquals(1024, s.sendQueue());
        assertEquals(Set.of(), s.allowedOrigins());
        assertEquals(20_000, s.maxConnections());
        assertEquals(65_536, s.maxMessageBytes());
        assertEquals(1000, s.maxSubscriptions());
        assertEquals(new WebSocketSettings.RateLimit(50, 200), s.rateLimit());
        assertEquals(Duration.ofSeconds(5), s.closeTimeout());
        assertEquals(new WebSocketSettings.OpenSpc(false, "/ws/samples"), s.openspc());
        assertTrue(s.permessageDeflate());
    }

    @Test
    void everyKeyIsRead() {
        ConfigNode node = node("""
                { path: /live, heartbeat-interval: 10s, heartbeat-timeout: PT1M, send-queue: 64,
                  allowed-origins: ["https://Dash.example.com:8443", "http://localhost:5173"], max-connections: 10,
                  max-message-bytes: 4096, max-subscriptions: 5, rate-limit: { messages-per-second: 7, burst: 9 },
                  close-timeout: 500ms, openspc: { enabled: true, path: /ws/spc }, permessage-deflate: true }""");
        WebSocketSettings s = WebSocketSettings.create(node);
        node.rejectUnknown();
        assertEquals(new WebSocketSettings("/live", Duration.ofSeconds(10), Duration.ofMinutes(1), 64,
                                           Set.of("https://dash.example.com:8443", "http://localhost:5173"), 10, 4096,
                                           5, new WebSocketSettings.RateLimit(7, 9), Duration.ofMillis(500),
                                           new WebSocketSettings.OpenSpc(true, "/ws/spc"), true), s);
        assertTrue(s.originAllowed("https://DASH.example.com:8443"));
        assertTrue(s.originAllowed(null));
        assertFalse(s.originAllowed("https://dash.example.com"));
        assertEquals(Set.of(), settings("{ allowed-origins: [\"*\"] }").allowedOrigins());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            { path: ws }                                              | plugins.websocket.path
            { path: /api/v1/ws }                                      | plugins.websocket.path
            { path: "/ws/{id}" }                                      | plugins.websocket.path
            { heartbeat-interval: soon }                              | plugins.websocket.heartbeat-interval
            { heartbeat-interval: PT0S }                              | plugins.websocket.heartbeat-interval
            { heartbeat-interval: PT30S, heartbeat-timeout: PT30S }   | plugins.websocket.heartbeat-timeout
            { send-queue: 0 }                                         | plugins.websocket.send-queue
            { send-queue: many }                                      | plugins.websocket.send-queue
            { allowed-origins: ["dash.example.com"] }                 | plugins.websocket.allowed-origins
            { allowed-origins: ["https://dash.example.com/app"] }     | plugins.websocket.allowed-origins
            { max-connections: 0 }                                    | plugins.websocket.max-connections
            { max-message-bytes: 2000000 }                            | plugins.websocket.max-message-bytes
            { max-subscriptions: -1 }                                 | plugins.websocket.max-subscriptions
            { rate-limit: { messages-per-second: 0 } }                | plugins.websocket.rate-limit.messages-per-second
            { rate-limit: { burst: 0 } }                              | plugins.websocket.rate-limit.burst
            { close-timeout: PT0S }                                   | plugins.websocket.close-timeout
            { openspc: { enabled: maybe } }                           | plugins.websocket.openspc.enabled
            { openspc: { enabled: true, path: /ws } }                 | plugins.websocket.openspc.path
            """)
    void aBadValueIsRefusedNamingItsKey(String section, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(section));
        assertEquals(key, e.key(), e.getMessage());
    }

    @Test
    void theExampleConfigurationLoads() {
        ConfigNode node = HubConfig.load(Path.of("../config/examples/websocket.yaml")).plugins()
                .child("websocket");
        WebSocketSettings s = WebSocketSettings.create(node);
        node.accept("enabled");
        node.rejectUnknown();
        assertTrue(s.openspc().enabled());
        assertEquals(Set.of("https://dashboard.plant.example", "http://localhost:5173"), s.allowedOrigins());
    }

    @Test
    void anUnknownKeyIsRefused() {
        ConfigNode node = node("{ heartbeat: PT1S }");
        WebSocketSettings.create(node);
        ConfigException e = assertThrows(ConfigException.class, node::rejectUnknown);
        assertEquals("plugins.websocket.heartbeat", e.key());
    }

    private static WebSocketSettings settings(String section) {
        return WebSocketSettings.create(node(section));
    }

    private static ConfigNode node(String section) {
        return HubConfig.fromYaml("plugins:\n  websocket: " + section + "\n", java.util.Map.of()).plugins().child("websocket");
    }
}
