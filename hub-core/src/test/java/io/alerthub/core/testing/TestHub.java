package io.alerthub.core.testing;

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
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A hub started in-process on a free port with its data in a test folder, and an HTTP client for it. */
public final class TestHub implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Hub hub;
    private final Path dataDir;

    private TestHub(Hub hub, Path dataDir) {
        this.hub = hub;
        this.dataDir = dataDir;
    }

    /**
     * Starts a hub; {@code extraYaml} is appended to a config that sets the port (0) and the data dir.
     * Use it for further top-level sections ({@code plugins:}, {@code security:}); for {@code hub:} keys pass
     * them in {@code hubYaml} (indented by the caller as children of {@code hub:}).
     */
    public static TestHub start(Path dataDir, String hubYaml, String extraYaml) {
        String yaml = "server:\n  port: 0\nhub:\n  data-dir: \"" + dataDir + "\"\n"
                + indent(hubYaml) + (extraYaml == null ? "" : extraYaml);
        return new TestHub(Hub.start(HubConfig.fromYaml(yaml)), dataDir);
    }

    public static TestHub start(Path dataDir, String extraYaml) {
        return start(dataDir, "", extraYaml);
    }

    private static String indent(String hubYaml) {
        if (hubYaml == null || hubYaml.isBlank()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String line : hubYaml.stripIndent().split("\n")) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    public Hub hub() {
        return hub;
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + hub.port() + path);
    }

    public HttpResponse<String> post(String path, String body) {
        return post(path, body, null);
    }

    public HttpResponse<String> post(String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path) {
        return get(path, null);
    }

    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Publishes and expects 202; returns the seqs. */
    public List<Long> publish(String body) {
        HttpResponse<String> r = post("/api/v1/events", body);
        if (r.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + r.statusCode() + ": " + r.body());
        }
        List<Long> seqs = new java.util.ArrayList<>();
        json(r.body()).get("seq").forEach(n -> seqs.add(n.asLong()));
        return seqs;
    }

    /** What the recorder plugin of this hub was given. */
    public List<Event> recorded() {
        return RecorderProvider.recorded(dataDir);
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
