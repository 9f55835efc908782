package io.alerthub.email;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;

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
                    rules:
                      - { topics: ["line:1"], to: [%s] }
                      - { topics: ["line:2"], to: [%s] }
                    """.formatted(smtp.port(), LINE1, LINE2)));

            HubProcess first = HubProcess.start(config);
            try {
                HubClient hub = first.client();
                publish(hub, violation(1, "line:1"));
                publish(hub, violation(2, "line:2"));
                await().atMost(WAIT).until(() -> smtp.mailsFor(LINE2).size() == 1);
                await().atMost(WAIT).until(() -> smtp.policy().rcptAttempts(LINE1) >= 2);
                smtp.stop();
                publish(hub, violation(3, "line:2"));
                await().atMost(WAIT).until(() -> {
                    JsonNode email = hub.plugin("email");
                    return email.path("state").asText().equals("DEGRADED")
                            && email.path("details").path("pending_events").asLong() == 2;
                });
            } finally {
                // SIGKILL: no shutdown hook, no cursor written at close
                assertTrue(first.kill(Duration.ofSeconds(10)));
            }
            assertTrue(smtp.mailsFor(LINE1).isEmpty());

            smtp.policy().recipient(LINE1, null);
            smtp.start();
            HubProcess second = HubProcess.start(config);
            try {
                HubClient hub = second.client();
                await().atMost(WAIT).until(() -> smtp.mailsFor(LINE1).size() == 1 && smtp.mailsFor(LINE2).size() == 2);
                await().atMost(WAIT)
                        .until(() -> hub.plugin("email").path("details").path("pending_notifications").asLong() == 0);
                assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(LINE1)));
                assertEquals(Map.of(2L, 1, 3L, 1), Mails.violationCounts(smtp.mailsFor(LINE2)),
                             "violation 2 was taken before the kill: not sent again");
                JsonNode email = hub.plugin("email");
                assertEquals("UP", email.path("state").asText(), email.toString());
            } finally {
                assertTrue(second.terminate(Duration.ofSeconds(30)));
            }
        }
    }

    private static String violation(long id, String topic) {
        return """
                {"type":"violation","characteristic_id":%d,"topics":["%s"],"severity":"CRITICAL",
                 "payload":{"violation_id":%d,"rule_name":"Two of three beyond 2 sigma"}}""".formatted(id, topic, id);
    }

    private static void publish(HubClient hub, String event) {
        HttpResponse<String> r = hub.post("/api/v1/events", event);
        assertEquals(202, r.statusCode(), r.body());
    }
}
