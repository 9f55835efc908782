package io.alerthub.dashboard;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real hub in-process (the dashboard jar's files and the WebSocket plugin are on the test class path), with an
 * HTTP client for publishing to it as a producer would.
 */
final class RunningHub implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Path dataDir;
    private final String hubYaml;
    private final String extraYaml;
    private final String websocketYaml;
    private final TestHub hub;

    private RunningHub(Path dataDir, String hubYaml, String extraYaml, String websocketYaml, TestHub hub) {
        this.dataDir = dataDir;
        this.hubYaml = hubYaml;
        this.extraYaml = extraYaml;
        this.websocketYaml = websocketYaml;
        this.hub = hub;
    }

    /**
     * Starts a hub on {@code port} (0 = any) with its data in {@code dataDir}.
     *
     * @param hubYaml   extra keys of the {@code hub:} section, as flow-style pairs ("history-size: 10")
     * @param extraYaml further top-level sections (security)
     */
    static RunningHub start(Path dataDir, int port, String hubYaml, String extraYaml) {
        return start(dataDir, port, hubYaml, extraYaml, "");
    }

    /** The same, with more keys of {@code plugins.websocket} ("permessage-deflate: true"). */
    static RunningHub start(Path dataDir, int port, String hubYaml, String extraYaml, String websocketYaml) {
        String yaml = """
                server: { port: %d }
                hub: { data-dir: "%s"%s }
                plugins:
                  websocket: { enabled: true, heartbeat-interval: PT1S%s }
                %s
                """.formatted(port, dataDir, hubYaml.isEmpty() ? "" : ", " + hubYaml,
                              websocketYaml.isEmpty() ? "" : ", " + websocketYaml, extraYaml);
        return new RunningHub(dataDir, hubYaml, extraYaml, websocketYaml,
                              TestHub.start(HubConfig.fromYaml(yaml, java.util.Map.of()), null, REQUEST_TIMEOUT));
    }

    /** Starts another hub on this one's port and data (stopping this one first): the event log carries over. */
    RunningHub startAgain() {
        hub.close();
        return start(dataDir, port(), hubYaml, extraYaml, websocketYaml);
    }

    int port() {
        return hub.port();
    }

    URI uri(String pathAndQuery) {
        return hub.uri(pathAndQuery);
    }

    /** Publishes events over HTTP ({@code token} may be null) and expects 202. */
    void publish(String token, List<String> events) {
        HttpResponse<String> r = hub.post("/api/v1/events", HubClient.batch(events), token);
        assertEquals(202, r.statusCode(), r.body());
    }

    void publish(String... events) {
        publish(null, List.of(events));
    }

    JsonNode get(String pathAndQuery, String token) {
        HttpResponse<String> r = send("GET", pathAndQuery, null, token);
        assertEquals(200, r.statusCode(), r.body());
        return HubClient.json(r.body());
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String token) {
        return hub.send(method, pathAndQuery, body, token);
    }

    /** A request without a body and with one extra header. */
    HttpResponse<String> sendWith(String method, String pathAndQuery, String header, String value) {
        return HubClient.send(hub.request(pathAndQuery).header(header, value)
                                      .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    public void close() {
        hub.close();
    }
}
