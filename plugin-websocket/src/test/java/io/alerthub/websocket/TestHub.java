package io.alerthub.websocket;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.HubClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real hub in-process on a free port, with this plugin on the class path, and an HTTP client for it.
 *
 * <p>Either started by a test ({@link #start}) or, made by {@link #perClass}, registered as a JUnit extension
 * ({@code @RegisterExtension static final TestHub hub}): one hub for all tests of a class, started before the first
 * and closed after the last. Those tests share the plugin's connection limits and counters, so after each test
 * the extension waits until the connections it opened are gone.
 */
final class TestHub implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final String perClassWebsocket;
    private io.alerthub.core.testing.TestHub hub;
    private Path perClassDataDir;

    private TestHub(io.alerthub.core.testing.TestHub hub) {
        this.perClassWebsocket = null;
        this.hub = hub;
    }

    private TestHub(String perClassWebsocket) {
        this.perClassWebsocket = perClassWebsocket;
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
        return new TestHub(startHub(port, dataDir, websocket, extraYaml, hubYaml, publishToken));
    }

    private static io.alerthub.core.testing.TestHub startHub(int port, Path dataDir, String websocket,
                                                             String extraYaml, String hubYaml, String publishToken) {
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
        return io.alerthub.core.testing.TestHub.start(HubConfig.fromYaml(yaml, java.util.Map.of()), publishToken, null);
    }

    static TestHub start(Path dataDir, String websocket) {
        return start(dataDir, websocket, "", "", null);
    }

    /** The hub of a whole test class, with {@code websocket} as in {@link #start(Path, String)}; see above. */
    static TestHub perClass(String websocket) {
        return new TestHub(websocket);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClassDataDir = Files.createTempDirectory("alerthub-websocket-test");
        hub = startHub(0, perClassDataDir, perClassWebsocket, "", "", null);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        await().atMost(Duration.ofSeconds(10)).until(() -> connections() == 0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            close();
        } finally {
            try (Stream<Path> files = Files.walk(perClassDataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The core's test hub under this one. */
    io.alerthub.core.testing.TestHub core() {
        return hub;
    }

    int port() {
        return hub.port();
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + hub.port() + pathAndQuery);
    }

    /** Publishes events ({@code {...}} objects) in one batch; returns their seqs. */
    List<Long> publish(String... events) {
        return hub.publish(HubClient.batch(List.of(events)));
    }

    long publishOne(String event) {
        return publish(event).getFirst();
    }

    JsonNode post(String path, String body, int expectedStatus) {
        HttpResponse<String> res = hub.post(path, body);
        assertEquals(expectedStatus, res.statusCode(), res.body());
        return parse(res.body());
    }

    HttpResponse<String> get(String path) {
        return hub.get(path);
    }

    /** This plugin's entry in {@code GET /api/v1/plugins}. */
    JsonNode plugin() {
        return hub.plugin("websocket");
    }

    /** This plugin's {@code details} in {@code GET /api/v1/plugins}. */
    JsonNode details() {
        return plugin().get("details");
    }

    int connections() {
        return details().get("connections").asInt();
    }

    long head() {
        return hub.hub().log().headSeq();
    }

    String metrics() {
        return hub.metrics();
    }

    static JsonNode parse(String json) {
        return HubClient.json(json);
    }

    @Override
    public void close() {
        hub.close();
    }
}
