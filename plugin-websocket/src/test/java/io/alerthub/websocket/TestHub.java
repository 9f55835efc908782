package io.alerthub.websocket;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real hub in-process on a free port, with this plugin on the class path, and an HTTP client for it. */
final class TestHub implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Hub hub;
    private final String publishToken;

    private TestHub(Hub hub, String publishToken) {
        this.hub = hub;
        this.publishToken = publishToken;
    }

    /**
     * Starts a hub.
     *
     * @param dataDir      its data folder
     * @param websocket    the body of {@code plugins.websocket} (flow style, without braces), may be empty
     * @param extraYaml    more top-level YAML ({@code security:}), or empty
     * @param hubYaml      more keys of {@code hub:} (flow style, without braces), or empty
     * @param publishToken the token to publish with, when {@code extraYaml} turns security on
     */
    static TestHub start(Path dataDir, String websocket, String extraYaml, String hubYaml, String publishToken) {
        return start(0, dataDir, websocket, extraYaml, hubYaml, publishToken);
    }

    /** Starts a hub on {@code port} (0 = any free one). */
    static TestHub start(int port, Path dataDir, String websocket, String extraYaml, String hubYaml,
                         String publishToken) {
        String yaml = """
                server: { port: %d }
                hub: { data-dir: "%s"%s }
                plugins:
                  websocket: { enabled: true%s }
                %s
                """.formatted(port, dataDir.toString().replace("\\", "/"),
                              hubYaml.isBlank() ? "" : ", " + hubYaml,
                              websocket.isBlank() ? "" : ", " + websocket,
                              extraYaml);
        return new TestHub(Hub.start(HubConfig.fromYaml(yaml, name -> null)), publishToken);
    }

    static TestHub start(Path dataDir, String websocket) {
        return start(dataDir, websocket, "", "", null);
    }

    int port() {
        return hub.port();
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + hub.port() + path);
    }

    /** Publishes events ({@code {...}} objects) in one batch; returns their seqs. */
    List<Long> publish(String... events) {
        JsonNode answer = post("/api/v1/events", "{\"events\":[" + String.join(",", events) + "]}", 202);
        List<Long> seqs = new ArrayList<>();
        answer.get("seq").forEach(s -> seqs.add(s.asLong()));
        return seqs;
    }

    long publishOne(String event) {
        return publish(event).getFirst();
    }

    JsonNode post(String path, String body, int expectedStatus) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (publishToken != null) {
            b.header("Authorization", "Bearer " + publishToken);
        }
        HttpResponse<String> res = send(b.build());
        assertEquals(expectedStatus, res.statusCode(), res.body());
        return parse(res.body());
    }

    HttpResponse<String> get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http(path)).GET();
        if (publishToken != null) {
            b.header("Authorization", "Bearer " + publishToken);
        }
        return send(b.build());
    }

    /** This plugin's {@code details} in {@code GET /api/v1/plugins}. */
    JsonNode details() {
        HttpResponse<String> res = get("/api/v1/plugins");
        assertEquals(200, res.statusCode(), res.body());
        for (JsonNode p : parse(res.body()).get("plugins")) {
            if (p.get("name").asText().equals("websocket")) {
                return p.get("details");
            }
        }
        throw new AssertionError("no websocket plugin in " + res.body());
    }

    int connections() {
        return details().get("connections").asInt();
    }

    long head() {
        return hub.log().headSeq();
    }

    String metrics() {
        return get("/observe/metrics").body();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
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
