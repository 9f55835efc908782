package io.alerthub.email;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.alerthub.core.Main;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub as a real process, killed with SIGKILL while mails are pending (one recipient deferring, the SMTP
 * server then down), and started again on the same data: the pending mails arrive, and a mail the server had
 * already taken is not sent again.
 */
class CrashRestartTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LINE1 = "line1-lead@plant.example";
    private static final String LINE2 = "line2-lead@plant.example";

    @TempDir
    Path dir;

    @Test
    void mailsPendingAtAKill9AreSentAfterTheRestartAndMailsAlreadyTakenAreNotSentAgain() throws Exception {
        try (TestSmtpServer smtp = TestSmtpServer.started()) {
            smtp.policy().recipient(LINE1, "451 4.3.0 Temporary lookup failure");
            Path config = dir.resolve("hub.yaml");
            Files.writeString(config, EmailTestHub.hubYaml(dir.resolve("data"), """
                    enabled: true
                    smtp: { host: 127.0.0.1, port: %d, connect-timeout: PT2S, read-timeout: PT5S }
                    from: alerthub@plant.example
                    group-window: PT0.2S
                    retry: { initial-backoff: PT0.05S, max-backoff: PT0.3S }
                    rules:
                      - { topics: ["line:1"], to: [%s] }
                      - { topics: ["line:2"], to: [%s] }
                    """.formatted(smtp.port(), LINE1, LINE2)));

            Process first = startHub(config);
            try {
                int port = port(first);
                publish(port, violation(1, "line:1"));
                publish(port, violation(2, "line:2"));
                await().atMost(WAIT).until(() -> smtp.mailsFor(LINE2).size() == 1);
                await().atMost(WAIT).until(() -> smtp.policy().rcptAttempts(LINE1) >= 2);
                smtp.stop();
                publish(port, violation(3, "line:2"));
                await().atMost(WAIT).until(() -> {
                    JsonNode email = email(port);
                    return email.path("state").asText().equals("DEGRADED")
                            && email.path("details").path("pending_events").asLong() == 2;
                });
            } finally {
                first.destroyForcibly();    // SIGKILL: no shutdown hook, no cursor written at close
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            }
            assertTrue(smtp.mailsFor(LINE1).isEmpty());

            smtp.policy().recipient(LINE1, null);
            smtp.start();
            Process second = startHub(config);
            try {
                int port = port(second);
                await().atMost(WAIT).until(() -> smtp.mailsFor(LINE1).size() == 1 && smtp.mailsFor(LINE2).size() == 2);
                await().atMost(WAIT).until(() -> email(port).path("details").path("pending_mails").asLong() == 0);
                assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(LINE1)));
                assertEquals(Map.of(2L, 1, 3L, 1), Mails.violationCounts(smtp.mailsFor(LINE2)),
                             "violation 2 was taken before the kill: not sent again");
                JsonNode email = email(port);
                assertEquals("UP", email.path("state").asText(), email.toString());
                assertTrue(email.path("details").path("already_sent_skipped").asLong() >= 1, email.toString());
            } finally {
                second.destroy();
                assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            }
        }
    }

    private static String violation(long id, String topic) {
        return """
                {"type":"violation","characteristic_id":%d,"topics":["%s"],"severity":"CRITICAL",
                 "payload":{"violation_id":%d,"rule_name":"Two of three beyond 2 sigma"}}""".formatted(id, topic, id);
    }

    private static Process startHub(Path config) throws IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                                          "--config", config.toString()))
                .redirectErrorStream(true).start();
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

    private static void publish(int port, String event) {
        HttpResponse<String> r = EmailTestHub.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event)).build());
        assertEquals(202, r.statusCode(), r.body());
    }

    private static JsonNode email(int port) {
        HttpResponse<String> r = EmailTestHub.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/plugins")).GET().build());
        for (JsonNode p : EmailTestHub.json(r.body()).path("plugins")) {
            if (p.path("name").asText().equals("email")) {
                return p;
            }
        }
        throw new AssertionError("no email plugin in " + r.body());
    }
}
