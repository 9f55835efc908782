package io.alerthub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/** A real hub, started in-process on a free port with the MQTT plugin configured, and an HTTP client for it. */
final class HubHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String yaml;
    private Hub hub;

    private HubHarness(String yaml) {
        this.yaml = yaml;
        this.hub = Hub.start(HubConfig.fromYaml(yaml));
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
        hub = Hub.start(HubConfig.fromYaml(yaml));
    }

    Hub hub() {
        return hub;
    }

    /** Posts events ({@code {"type":..}} objects) in one batch; returns their seqs. */
    List<Long> post(List<String> events) {
        HttpResponse<String> r = send("POST", "/api/v1/events", "{\"events\":[" + String.join(",", events) + "]}");
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /api/v1/events answered " + r.statusCode() + ": " + r.body());
        }
        List<Long> seqs = new ArrayList<>();
        for (JsonNode s : json(r.body()).get("seq")) {
            seqs.add(s.asLong());
        }
        return seqs;
    }

    long post(String event) {
        return post(List.of(event)).getFirst();
    }

    HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PluginStatus mqtt() {
        return hub.plugins().stream().filter(p -> p.name().equals("mqtt")).findFirst().orElseThrow();
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
