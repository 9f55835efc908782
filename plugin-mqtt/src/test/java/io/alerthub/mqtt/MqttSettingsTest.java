package io.alerthub.mqtt;

import java.nio.file.Path;
import java.time.Duration;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.ConfigNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttSettingsTest {

    private static MqttSettings read(String yaml) {
        ConfigNode mqtt = HubConfig.fromYaml("plugins:\n  mqtt:\n" + yaml.stripIndent().indent(4), java.util.Map.of())
                .plugins().child("mqtt");
        MqttSettings settings = MqttSettings.create(mqtt);
        mqtt.accept("enabled");
        mqtt.rejectUnknown();
        return settings;
    }

    @Test
    void defaultsAreTheProtocols() {
        MqttSettings s = read("enabled: false");
        assertEquals("tcp://127.0.0.1:1883", s.brokerUri().toString());
        assertEquals("alerthub", s.clientId());
        assertEquals("alerthub/characteristic/{characteristic_id}/{type}", s.topicTemplate().toString());
        assertEquals("alerthub/event/{type}", s.fallbackTemplate().toString());
        assertEquals(1, s.qosOf("violation"));
        assertEquals(0, s.qosOf("sample"));
        assertTrue(s.retained("control_limits"));
        assertFalse(s.retained("violation"));
        assertTrue(s.expirySecondsOf("violation").isEmpty());
        assertFalse(s.ackBridge().enabled());
        assertEquals("alerthub/ack/+", s.ackBridge().topicFilter());
        assertEquals(2, s.ackBridge().idLevel());
        assertEquals("characteristic.retired", s.retireType());
    }

    @Test
    void perTypeMapsTakeDottedTypesAndMergeWithTheDefaults() {
        MqttSettings s = read("""
                qos: { violation: 2, alert.created: 0 }
                retain: [control_limits, alert.state]
                message-expiry: { default: PT1H, sample: 30s, alert.created: 0s }
                """);
        assertEquals(2, s.qosOf("violation"));
        assertEquals(0, s.qosOf("alert.created"));
        assertEquals(0, s.qosOf("sample"), "built-in sample: 0 stays");
        assertEquals(1, s.qosOf("ack_update"));
        assertTrue(s.retained("alert.state"));
        assertEquals(30, s.expirySecondsOf("sample").getAsLong());
        assertEquals(3600, s.expirySecondsOf("violation").getAsLong());
        assertTrue(s.expirySecondsOf("alert.created").isEmpty(), "0s turns the default off for that type");
    }

    @Test
    void thePasswordNeverShowsInToString() {
        MqttSettings s = read("""
                username: hub
                password: s3cret-value
                broker-uri: ssl://broker:8883
                trust-store-password: another-secret
                """);
        assertFalse(s.toString().contains("s3cret-value"), s.toString());
        assertFalse(s.toString().contains("another-secret"), s.toString());
        assertEquals(Duration.ofHours(1), s.sessionExpiry());
    }

    /** One row per bad value: the key the error must name, and words of its message. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "topic-template: 'a/{typo}'                      | plugins.mqtt.topic-template          | unknown placeholder {typo}",
            "topic-template: 'a/+/{type}'                    | plugins.mqtt.topic-template          | wildcard",
            "fallback-topic-template: 'e/{characteristic_id}'| plugins.mqtt.fallback-topic-template | without a characteristic",
            "fallback-topic-template: 'e/#'                  | plugins.mqtt.fallback-topic-template | wildcard",
            "broker-uri: 'http://broker:80'                  | plugins.mqtt.broker-uri              | tcp:// or ssl://",
            "broker-uri: 'broker:1883'                       | plugins.mqtt.broker-uri              | tcp:// or ssl://",
            "broker-uri: 'tcp://:1883'                       | plugins.mqtt.broker-uri              | needs a host",
            "qos: { sample: 3 }                              | plugins.mqtt.qos.sample              | between 0 and 2",
            "qos: { Bad-Type: 1 }                            | plugins.mqtt.qos.Bad-Type            | not an event type",
            "qos: 1                                          | plugins.mqtt.qos                     | map",
            "retain: [control_limits, 'x y']                 | plugins.mqtt.retain                  | not an event type",
            "message-expiry: { sample: soon }                | plugins.mqtt.message-expiry.sample   | not a duration",
            "message-expiry: { sample: 500ms }               | plugins.mqtt.message-expiry.sample   | whole seconds",
            "session-expiry: P200000D                        | plugins.mqtt.session-expiry          | at most 4294967295",
            "keep-alive: P2D                                 | plugins.mqtt.keep-alive              | 65535",
            "max-inflight: 0                                 | plugins.mqtt.max-inflight            | between 1",
            "reconnect-max-delay: 100ms                      | plugins.mqtt.reconnect-max-delay     | reconnect-min-delay",
            "trust-store: /etc/ca.p12                        | plugins.mqtt.trust-store             | ssl://",
            "ack-bridge: { topic: 'alerthub/ack/#' }         | plugins.mqtt.ack-bridge.topic        | '#'",
            "ack-bridge: { topic: 'alerthub/ack/x' }         | plugins.mqtt.ack-bridge.topic        | exactly one '+'",
            "ack-bridge: { topic: '+/ack/+' }                | plugins.mqtt.ack-bridge.topic        | exactly one '+'",
            "ack-bridge: { enabled: maybe }                  | plugins.mqtt.ack-bridge.enabled      | true or false",
            "retire-type: 'Retired!'                         | plugins.mqtt.retire-type             | not an event type",
            "client-id: ''                                   | plugins.mqtt.client-id               | 1 to 65535",
            "unknown-key: 1                                  | plugins.mqtt.unknown-key             | unknown key",
    })
    void badValuesNameTheirKey(String yaml, String key, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(yaml));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"examples/mqtt.yaml", "application.yaml"})
    void theShippedConfigurationsAreValid(String file) {
        HubConfig config = HubConfig.load(Path.of("..", "config").resolve(file));
        ConfigNode mqtt = config.plugins().child("mqtt");
        MqttSettings s = MqttSettings.create(mqtt);
        mqtt.accept("enabled");
        mqtt.rejectUnknown();
        assertEquals(0, s.qosOf("sample"));
    }

    @Test
    void aBadTemplateStopsTheHubNamingTheKey(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> Hub.start(HubConfig.fromYaml(
                HubHarness.yaml(dir, "topic-template: \"alerthub/{line}/{type}\""))));
        assertEquals("plugins.mqtt.topic-template", e.key());
        assertTrue(e.getMessage().contains("{line}"), e.getMessage());
    }

    @Test
    void aDisabledPluginsConfigurationIsCheckedToo(@TempDir Path dir) {
        String yaml = "server: { port: 0 }\nhub: { data-dir: \"" + dir + "\" }\nplugins:\n  mqtt:\n"
                + "    qos: { violation: 5 }\n";
        ConfigException e = assertThrows(ConfigException.class, () -> Hub.start(HubConfig.fromYaml(yaml)));
        assertEquals("plugins.mqtt.qos.violation", e.key());
    }
}
