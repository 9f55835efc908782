package io.alerthub.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.alerthub.webhook.WebhookHub.violation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A silence created over HTTP keeps the mail and the webhook quiet about the events it matches, while every event
 * still reaches a WebSocket dashboard, marked {@code "silenced":true}; expired, it lets them through again.
 */
class SilenceAcrossChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String QA = "quality@plant.example";

    @TempDir
    Path dir;

    @Test
    void aSilenceStopsMailAndWebhookButNotTheStream() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (WebhookServer target = new WebhookServer();
             TestHub hub = TestHub.start(HubConfig.fromYaml(config(smtp.getSmtp().getPort(), target), java.util.Map.of()))) {
            Stream dashboard = Stream.connect(hub.port(), "topics=line:*");
            await().atMost(WAIT).until(() -> dashboard.types().contains("subscribed"));

            HttpResponse<String> created = hub.post("/api/v1/silences", """
                    {"matchers":{"topic":"line:7"},"duration":"PT1H","created_by":"maintenance",
                     "comment":"Line 7 retooling"}""");
            assertEquals(201, created.statusCode(), created.body());
            String silence = HubClient.json(created.body()).get("id").asText();

            hub.publish(HubClient.batch(List.of(violation(1, "line:7"), violation(2, "line:8"))));

            await().atMost(WAIT).until(() -> dashboard.of("violation").size() == 2);
            JsonNode line7 = dashboard.of("violation").get(0);
            assertTrue(line7.get("silenced").asBoolean(), line7.toString());
            assertEquals(silence, line7.get("silenced_by").get(0).asText());
            assertFalse(dashboard.of("violation").get(1).has("silenced"), "line 8 is not silenced");

            // Notifications keep the order of their events: once violation 2 arrived, violation 1 would have too.
            await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length == 1 && target.requests().size() == 1);
            assertTrue(GreenMailUtil.getBody(only(smtp)).contains("Violation:      2"), GreenMailUtil.getBody(only(smtp)));
            assertEquals(2, target.requests().getFirst().json().get("events").get(0).get("payload")
                    .get("violation_id").asInt());
            JsonNode email = hub.plugin("email").get("details");
            // violation 1, and the alarm_update of its alarm (also on line:7)
            assertTrue(email.get("events_silenced").asInt() >= 1, email.toString());

            JsonNode history = HubClient.json(hub.get("/api/v1/events?since=0&type=violation").body()).get("events");
            assertTrue(history.get(0).get("silenced").asBoolean(), "history shows the same: " + history.get(0));
            JsonNode alarm = HubClient.json(hub.get("/api/v1/alarms/1").body());
            assertEquals(silence, alarm.get("silenced_by").get(0).asText(), alarm.toString());

            HttpResponse<String> expired = hub.send("DELETE", "/api/v1/silences/" + silence, null, null);
            assertEquals(200, expired.statusCode(), expired.body());
            assertEquals("expired", HubClient.json(expired.body()).get("state").asText());
            hub.publish(violation(3, "line:7"));
            await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length == 2 && target.requests().size() == 2);
            await().atMost(WAIT).until(() -> dashboard.of("violation").size() == 3);
            assertFalse(dashboard.of("violation").get(2).has("silenced"));
            dashboard.close();
        } finally {
            smtp.stop();
        }
    }

    private static MimeMessage only(GreenMail smtp) {
        return smtp.getReceivedMessages()[0];
    }

    private String config(int smtpPort, WebhookServer target) {
        return """
                server: { port: 0 }
                hub:
                  data-dir: "%s"
                %snotify:
                  receivers:
                    quality: { email: [%s] }
                    hook: { webhook: main }
                  routes:
                    - match: { type: violation, min-severity: CRITICAL }
                      receivers: [quality, hook]
                      group-window: PT0S
                plugins:
                  websocket: { enabled: true }
                  email: { enabled: true, smtp: { host: 127.0.0.1, port: %d }, from: alerthub@plant.example }
                  webhook:
                    enabled: true
                    targets: [ { name: main, url: "%s" } ]
                """.formatted(dir.resolve("data"), WebhookHub.FAST, QA, smtpPort, target.url("/hook"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dashboard: the JDK's WebSocket client on {@code /ws}, keeping every message. */
    static final class Stream implements WebSocket.Listener {
        private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Stream connect(int port, String query) throws Exception {
            Stream s = new Stream();
            s.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?" + query), s)
                    .get(10, TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(HubClient.json(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        List<String> types() {
            return messages.stream().map(m -> m.path("type").asText()).toList();
        }

        List<JsonNode> of(String type) {
            return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
