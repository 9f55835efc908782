package io.alerthub.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.alerthub.spi.ConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubConfigTest {

    @Test
    void defaultsAreTheProtocolsDefaults() {
        HubConfig c = HubConfig.fromYaml("{}", Map.of());
        assertEquals("127.0.0.1", c.server().host());
        assertEquals(8080, c.server().port());
        assertEquals(Path.of("data"), c.hub().dataDir());
        assertEquals(FsyncPolicy.INTERVAL, c.hub().log().fsync());
        assertEquals(Duration.ofMillis(100), c.hub().log().fsyncInterval());
        assertEquals(1_000_000, c.hub().log().retentionEvents());
        assertEquals(Duration.ofDays(7), c.hub().log().retentionAge());
        assertEquals(10_000, c.hub().historySize());
        assertEquals(Duration.ofMinutes(10), c.hub().dedupWindow());
        assertEquals(65_536, c.hub().maxEventBytes());
        assertEquals(Set.of("ack_update", "alarm_update"), c.hub().broadcastTypes());
        assertEquals(3, c.hub().dispatch().retries());
        assertEquals(Duration.ofSeconds(1), c.hub().dispatch().baseDelay());
        assertEquals(Duration.ofSeconds(30), c.hub().dispatch().maxDelay());
        assertTrue(c.security().tokens().isEmpty());
        assertTrue(c.security().jwt().isEmpty());
    }

    @Test
    void environmentVariablesOverrideEveryKey() {
        Map<String, String> env = Map.of("SERVER_PORT", "9090", "HUB_LOG_FSYNC_INTERVAL", "250ms",
                                         "HUB_BROADCAST_TYPES", "ack_update, alert.closed",
                                         "PUBLISH_TOKEN", "from-the-environment-0123");
        HubConfig c = HubConfig.fromYaml("""
                server: { port: 8080 }
                hub: { log: { fsync: batch, fsync-interval: PT1S } }
                security:
                  tokens:
                    - { token: "${PUBLISH_TOKEN}", roles: [publish] }
                """, env);
        assertEquals(9090, c.server().port());
        assertEquals(Duration.ofMillis(250), c.hub().log().fsyncInterval());
        assertEquals(FsyncPolicy.BATCH, c.hub().log().fsync());
        assertEquals(Set.of("ack_update", "alert.closed"), c.hub().broadcastTypes());
        assertEquals("from-the-environment-0123", c.security().tokens().getFirst().token());
    }

    @Test
    void referencesTakeTheirDefaultWhenNotSetAndUnrelatedVariablesAreNoTypos() {
        Map<String, String> env = Map.of("HUB_DATA_DIR", "/var/lib/alerthub", "JAVA_HOME", "/usr/lib/jvm/x",
                                         "SET_TOKEN", "set-in-the-environment-42");
        HubConfig c = HubConfig.fromYaml("""
                hub: { data-dir: data, history-size: "${HISTORY:500}" }
                security:
                  tokens:
                    - { token: "${SET_TOKEN:fallback-token-not-used}", roles: [publish] }
                    - { token: "${UNSET_TOKEN:fallback-token-0123456}", roles: [subscribe] }
                """, env);
        c.rejectUnknown();
        assertEquals(Path.of("/var/lib/alerthub"), c.hub().dataDir());
        assertEquals(500, c.hub().historySize());
        assertEquals("set-in-the-environment-42", c.security().tokens().get(0).token());
        assertEquals("fallback-token-0123456", c.security().tokens().get(1).token());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("server: { port: 70000 }", "server.port", "between 0 and 65535"),
                Arguments.of("server: { prot: 1 }", "server.prot", "unknown key"),
                Arguments.of("hub: { log: { fsync: sometimes } }", "hub.log.fsync", "batch, interval, none"),
                Arguments.of("hub: { dedup-window: ten minutes }", "hub.dedup-window", "not a duration"),
                Arguments.of("hub: { history-size: 0 }", "hub.history-size", "between 1"),
                Arguments.of("hub: { broadcast-types: [Ack] }", "hub.broadcast-types", "not an event type"),
                Arguments.of("hub: { dispatch: { base-delay: PT5S, max-delay: PT1S } }", "hub.dispatch.max-delay",
                             "not be shorter"),
                Arguments.of("hubb: {}", "hubb", "unknown key"),
                Arguments.of("security: { tokens: [ { token: short, roles: [publish] } ] }", "security.tokens[0].token",
                             "too short"),
                Arguments.of("security: { tokens: [ { token: long-enough-token-1234, roles: [root] } ] }",
                             "security.tokens[0].roles", "unknown role"),
                Arguments.of("security: { tokens: [ { token: \"${NOT_SET_ANYWHERE}\", roles: [publish] } ] }",
                             "security.tokens[0].token", "NOT_SET_ANYWHERE, which is not set"),
                Arguments.of("security: { jwt: { hs256-secret: tooshort } }", "security.jwt.hs256-secret", "too short"),
                Arguments.of("cluster: { nats-urls: [\"http://127.0.0.1:4222\"] }", "cluster.nats-urls",
                             "not a NATS URL"),
                Arguments.of("cluster: { nats-urls: [\"nats://127.0.0.1\"] }", "cluster.nats-urls", "not a NATS URL"),
                Arguments.of("cluster: { stream: \"EVENTS.ALL\" }", "cluster.stream", "not a stream name"),
                Arguments.of("cluster: { replicas: 7 }", "cluster.replicas", "between 1"),
                Arguments.of("cluster: { takeover-after: PT0.1S }", "cluster.takeover-after", "at least"),
                Arguments.of("cluster: { username: hub, token: secret-token }", "cluster.token", "not both"),
                Arguments.of("cluster: { redis-uri: \"redis://127.0.0.1:6379\" }", "cluster.redis-uri", "unknown key"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refused")
    void badValuesNameTheirKey(String yaml, String key, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> {
            HubConfig c = HubConfig.fromYaml(yaml, Map.of());
            c.rejectUnknown();
        });
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void secretsDoNotShowInToString() {
        HubConfig c = HubConfig.fromYaml("""
                security:
                  tokens: [ { token: a-very-secret-token-value, roles: [publish] } ]
                  jwt: { hs256-secret: "a-very-secret-hs256-secret-of-32-chars" }
                """, Map.of());
        assertFalse(c.security().toString().contains("a-very-secret"), c.security().toString());
    }

    @Test
    void listsComeAsYamlListsOrCommaSeparated() {
        HubConfig c = HubConfig.fromYaml("hub: { broadcast-types: \"ack_update,alert.closed\" }", Map.of());
        assertEquals(Set.copyOf(List.of("ack_update", "alert.closed")), c.hub().broadcastTypes());
    }
}
