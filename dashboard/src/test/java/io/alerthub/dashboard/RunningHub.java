package io.alerthub.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real hub in-process (the dashboard jar's files and the WebSocket plugin are on the test class path), with an
 * HTTP client for publishing to it as a producer would.
 */
final class RunningHub implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dataDir;
    private final String hubYaml;
    private final String extraYaml;
    private final Hub hub;
    private final int port;

    private RunningHub(Path dataDir, String hubYaml, String extraYaml, Hub hub) {
        this.dataDir = dataDir;
        this.hubYaml = hubYaml;
        this.extraYaml = extraYaml;
        this.hub = hub;
        this.port = hub.port();
    }

    /**
     * Starts a hub on {@code port} (0 = any) with its data in {@code dataDir}.
     *
     * @param hubYaml   extra keys of the {@code hub:} section, as flow-style pairs ("history-size: 10")
     * @param extraYaml further top-level sections (security)
     */
    static RunningHub start(Path dataDir, int port, String hubYaml, String extraYaml) {
        String yaml = """
                server: { port: %d }
                hub: { data-dir: "%s"%s }
                plugins:
                  websocket: { enabled: true, heartbeat-interval: PT1S }
                %s
                """.formatted(port, dataDir, hubYaml.isEmpty() ? "" : ", " + hubYaml, extraYaml);
        return new RunningHub(dataDir, hubYaml, extraYaml, Hub.start(HubConfig.fromYaml(yaml, n -> null)));
    }

    /** Starts another hub on this one's port and data (stopping this one first): the event log carries over. */
    RunningHub startAgain() {
        hub.close();
        return start(dataDir, port, hubYaml, extraYaml);
    }

    int port() {
        return port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Publishes events over HTTP ({@code token} may be null) and expects 202. */
    void publish(String token, List<String> events) {
        HttpResponse<String> r = send("POST", "/api/v1/events", "{\"events\":[" + String.join(",", events) + "]}",
                                      token);
        assertEquals(202, r.statusCode(), r.body());
    }

    void publish(String... events) {
        publish(null, List.of(events));
    }

    JsonNode get(String pathAndQuery, String token) {
        HttpResponse<String> r = send("GET", pathAndQuery, null, token);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return exchange(b.build());
    }

    /** A request without a body and with one extra header. */
    HttpResponse<String> sendWith(String method, String pathAndQuery, String header, String value) {
        return exchange(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                                .header(header, value).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
