package io.alerthub.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub as a real process: killed with SIGKILL right after a 202, started again. */
class CrashRecoveryTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync {0}")
    @ValueSource(strings = {"batch", "none"})
    void anEventAcknowledgedWith202SurvivesKill9AndEveryPluginGetsIt(String fsync) throws Exception {
        Path recorded = dir.resolve("recorded.txt");
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server: { port: 0 }
                hub:
                  data-dir: "%s"
                  log: { fsync: %s }
                plugins:
                  recorder: { enabled: true, file: "%s" }
                  faulty: { enabled: true, behaviour: ok }
                """.formatted(dir.resolve("data"), fsync, recorded));

        long seq;
        Process first = startHub(config);
        try {
            int port = port(first);
            HttpResponse<String> r = post(port, "{\"type\":\"violation\",\"id\":\"crash-1\",\"severity\":\"CRITICAL\","
                    + "\"payload\":{\"violation_id\":1}}");
            assertEquals(202, r.statusCode(), r.body());
            seq = TestHub.json(r.body()).get("seq").get(0).asLong();
        } finally {
            first.destroyForcibly();    // SIGKILL: no shutdown hook, no cursor flush, no fsync
            first.waitFor(10, TimeUnit.SECONDS);
        }

        Process second = startHub(config);
        try {
            int port = port(second);
            JsonNode page = TestHub.json(get(port, "/api/v1/events?since=" + (seq - 1)).body());
            assertEquals(seq, page.get("events").get(0).get("seq").asLong(), "the event is in history");
            assertEquals("crash-1", page.get("events").get(0).get("id").asText());
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(recorded)
                    && Files.readAllLines(recorded).contains(Long.toString(seq)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode plugins = TestHub.json(get(port, "/api/v1/plugins").body()).get("plugins");
                for (JsonNode p : plugins) {
                    if (p.get("enabled").asBoolean()) {
                        assertTrue(p.get("cursor").asLong() >= seq, p.toString());
                    }
                }
            });
            HttpResponse<String> again = post(port, "{\"type\":\"violation\",\"id\":\"crash-1\",\"payload\":{}}");
            assertEquals(1, TestHub.json(again.body()).get("duplicates").asInt(), "dedup survives the restart");
            HttpResponse<String> next = post(port, "{\"type\":\"sample\",\"payload\":{}}");
            assertEquals(seq + 1, TestHub.json(next.body()).get("seq").get(0).asLong(), "numbering goes on");
        } finally {
            second.destroy();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, second.exitValue(), "SIGTERM stops the hub cleanly with exit code 0");
        }
    }

    @Test
    void aBadConfigFileEndsWithOneLineAndExitCode2() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "hub:\n  history-size: lots\n");
        Process p = new ProcessBuilder(javaCommand(config)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals(List.of("alerthub: configuration error: hub.history-size: 'lots' is not a whole number"),
                     out.lines().toList());
    }

    private static Process startHub(Path config) throws IOException {
        return new ProcessBuilder(javaCommand(config)).redirectErrorStream(true).start();
    }

    private static List<String> javaCommand(Path config) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                       System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString());
    }

    /** Reads the process output until the hub says where it listens; keeps draining it afterwards. */
    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("hub exited:\n" + seen));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> post(int port, String body) {
        return TestHub.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> get(int port, String path) {
        return TestHub.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }
}
