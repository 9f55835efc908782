package io.alerthub.mqtt;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Health;

import static org.awaitility.Awaitility.await;

/** A real hub, started in-process on a free port with the MQTT plugin configured, and an HTTP client for it. */
final class HubHarness implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String yaml;
    private TestHub hub;

    private HubHarness(String yaml) {
        this.yaml = yaml;
        this.hub = started(yaml);
    }

    private static TestHub started(String yaml) {
        return TestHub.start(HubConfig.fromYaml(yaml), null, REQUEST_TIMEOUT);
    }

    /**
     * Starts a hub whose data lives in {@code dataDir}, with {@code mqtt} (YAML lines, indented as children of
     * {@code plugins.mqtt}; {@code enabled: true} is added).
     */
    static HubHarness start(Path dataDir, String mqtt) {
        return new HubHarness(yaml(dataDir, mqtt));
    }

    /** The same, with the test's {@code recording} channel enabled beside MQTT. */
    static HubHarness startWithRecorder(Path dataDir, String mqtt) {
        return new HubHarness(yaml(dataDir, mqtt) + "  recording:\n    enabled: true\n");
    }

    /**
     * Starts a hub publishing to {@code brokerUri} as a client of its own ({@code hub-<random>}, keeping no session on
     * the broker), with the further {@code mqtt} keys, and waits until the plugin is UP.
     */
    static HubHarness startConnected(Path dataDir, String brokerUri, String mqtt, Duration wait) {
        HubHarness hub = start(dataDir, """
                broker-uri: %s
                client-id: hub-%s
                session-expiry: 0s
                """.formatted(brokerUri, UUID.randomUUID()) + mqtt.stripIndent());
        try {
            hub.awaitState(Health.State.UP, wait);
            return hub;
        } catch (RuntimeException | Error e) {
            hub.close();
            throw e;
        }
    }

    static String yaml(Path dataDir, String mqtt) {
        StringBuilder b = new StringBuilder();
        b.append("server: { port: 0 }\n");
        b.append("hub:\n  data-dir: \"").append(dataDir).append("\"\n  shutdown-timeout: PT1S\n");
        b.append("plugins:\n  mqtt:\n    enabled: true\n");
        for (String line : mqtt.stripIndent().split("\n")) {
            if (!line.isBlank()) {
                b.append("    ").append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Stops the hub and starts it again with the same configuration and data folder. */
    void restart() {
        hub.close();
        hub = started(yaml);
    }

    Hub hub() {
        return hub.hub();
    }

    /** Posts events ({@code {"type":..}} objects) in one batch; returns their seqs. */
    List<Long> post(List<String> events) {
        return hub.publish(HubClient.batch(events));
    }

    long post(String event) {
        return post(List.of(event)).getFirst();
    }

    HttpResponse<String> send(String method, String path, String body) {
        return hub.send(method, path, body, null);
    }

    PluginStatus mqtt() {
        return hub.pluginStatus("mqtt");
    }

    /** Waits until the plugin reports {@code state}. */
    PluginStatus awaitState(Health.State state, Duration timeout) {
        await("mqtt plugin " + state).atMost(timeout).until(() -> mqtt().state() == state);
        return mqtt();
    }

    @Override
    public void close() {
        if (hub != null) {
            hub.close();
            hub = null;
        }
    }
}
