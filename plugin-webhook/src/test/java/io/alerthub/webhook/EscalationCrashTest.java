package io.alerthub.webhook;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An escalation under way when the hub is killed with SIGKILL: the step that fired before the kill does not fire
 * again, the next step (due while the hub was down) fires once after the restart — not once per missed repeat — and
 * an acknowledgement stops it.
 */
class EscalationCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aStepFiresExactlyOnceAcrossAKill9AndAnAckStopsTheEscalation() throws Exception {
        try (WebhookServer target = new WebhookServer()) {
            Path config = dir.resolve("hub.yaml");
            Files.writeString(config, """
                    server: { port: 0 }
                    hub:
                      data-dir: "%s"
                    %snotify:
                      receivers:
                        shift: { webhook: main }
                      escalations:
                        - match: { type: violation, min-severity: CRITICAL }
                          steps:
                            - { after: PT1S, receivers: [shift] }
                            - { after: PT4S, receivers: [shift] }
                          repeat: PT1S
                    plugins:
                      webhook:
                        enabled: true
                        targets: [ { name: main, url: "%s" } ]
                    """.formatted(dir.resolve("data"), WebhookHub.FAST, target.url("/escalations")));

            HubProcess first = HubProcess.start(config);
            try {
                HubClient hub = first.client();
                HttpResponse<String> r = hub.post("/api/v1/events", WebhookHub.violation(77, "line:7"));
                assertEquals(202, r.statusCode(), r.body());
                await().atMost(WAIT).until(() -> steps(target).size() == 1);
                assertEquals(List.of("1/0"), steps(target), "step 1, the step itself");
                // the hub has recorded that the target took it (a kill before that would send it again: at least once)
                await().atMost(WAIT).until(() -> detail(hub, "pending_notifications") == 0);
            } finally {
                // SIGKILL between step 1 and step 2: no shutdown hook, no state written at close
                assertTrue(first.kill(Duration.ofSeconds(10)));
            }

            HubProcess second = HubProcess.start(config);
            try {
                HubClient hub = second.client();
                // step 2 was due while the hub was down (or falls due right after the start): it fires once, and the
                // repeats that follow count on from it, one interval at a time
                await().atMost(WAIT).until(() -> steps(target).size() >= 3);
                List<String> fired = steps(target);
                assertEquals(List.of("1/0", "2/0", "2/1"), fired.subList(0, 3), "step 1 once, step 2 once, then"
                        + " repeats one by one: " + fired);

                HttpResponse<String> ack = hub.post("/api/v1/violations/77/ack", "{\"user\":\"shift-lead\"}");
                assertEquals(202, ack.statusCode(), ack.body());
                // the ack ends the escalation: nothing is scheduled, and what was decided before it has gone
                await().atMost(WAIT).until(() -> detail(hub, "escalations_scheduled") == 0
                        && detail(hub, "pending_notifications") == 0);
                fired = steps(target);
                JsonNode alarm = HubClient.json(hub.get("/api/v1/alarms/77").body());
                assertEquals(2, alarm.get("escalation_step").asInt(), alarm.toString());
                assertTrue(alarm.get("acknowledged").asBoolean());
                assertEquals("shift-lead", alarm.get("ack_user").asText());
                for (String s : fired) {
                    assertTrue(s.startsWith("1/0") || s.startsWith("2/"), fired.toString());
                }
                assertEquals(1, fired.stream().filter("1/0"::equals).count(), "step 1 exactly once: " + fired);
                assertEquals(1, fired.stream().filter("2/0"::equals).count(), "step 2 exactly once: " + fired);
            } finally {
                assertTrue(second.terminate(Duration.ofSeconds(30)));
            }
        }
    }

    private static long detail(HubClient hub, String key) {
        return hub.plugin("webhook").path("details").path(key).asLong(-1);
    }

    /** Every escalation the target received, as {@code step/repeat}. */
    private static List<String> steps(WebhookServer target) {
        return target.requests().stream()
                .map(WebhookServer.Request::json)
                .filter(b -> b.get("kind").asText().equals("escalation"))
                .map(b -> b.get("escalation_step").asInt() + "/" + b.get("repeat").asInt())
                .toList();
    }
}
