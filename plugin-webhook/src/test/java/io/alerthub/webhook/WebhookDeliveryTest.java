package io.alerthub.webhook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Health;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.alerthub.webhook.WebhookHub.detail;
import static io.alerthub.webhook.WebhookHub.violation;
import static io.alerthub.webhook.WebhookHub.webhook;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications POSTed to a real HTTP server that answers as a test scripts it. */
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "s3cret-shared-with-the-receiver";

    @TempDir
    Path dir;
    private WebhookServer target;
    private TestHub hub;

    @BeforeEach
    void targetUp() {
        target = new WebhookServer();
    }

    @AfterEach
    void stopAll() {
        if (hub != null) {
            hub.close();
        }
        target.close();
    }

    private TestHub start(String extra) {
        hub = WebhookHub.start(dir.resolve("data"), "url: \"" + target.url("/hook") + "\", format: json, secret: \""
                + SECRET + "\", headers: { X-Team: quality }" + extra);
        return hub;
    }

    @Test
    void aNotificationIsPostedAsJsonWithHeadersAndAnHmacSignatureOfTheBody() throws Exception {
        start("");
        long seq = hub.publish(violation(456, "line:7")).getFirst();

        await().atMost(WAIT).until(() -> target.requests().size() == 1);
        WebhookServer.Request r = target.requests().getFirst();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(r.body())),
                     r.header("X-AlertHub-Signature"), "the receiver can check the body");
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("quality", r.header("X-Team"));
        assertEquals("event", r.header("X-AlertHub-Kind"));

        JsonNode body = r.json();
        assertEquals(r.header("X-AlertHub-Notification"), body.get("id").asText());
        assertEquals("event", body.get("kind").asText());
        assertEquals("hook", body.get("receiver").asText());
        assertEquals(1, body.get("count").asInt());
        assertEquals("CRITICAL One point beyond 3 sigma on Bore diameter (#6)", body.get("title").asText());
        JsonNode event = body.get("events").get(0);
        assertEquals(seq, event.get("seq").asLong());
        assertEquals(456, event.get("payload").get("violation_id").asInt());
        assertEquals("10.31", event.get("payload").get("value").asText(), "numbers as the producer wrote them");
        await().atMost(WAIT).until(() -> webhook(hub).delivered() == 1);
        assertEquals(Health.State.UP, webhook(hub).state());
    }

    @Test
    void a500ThenA200IsRetriedAndTheNotificationGoesOnce() {
        target.answer(new WebhookServer.Answer(500, Map.of(), "database down", null));
        start("");
        hub.publish(violation(1, "line:7"));

        await().atMost(WAIT).until(() -> target.requests().size() == 2);
        await().atMost(WAIT).until(() -> webhook(hub).delivered() == 1);
        List<WebhookServer.Request> rs = target.requests();
        assertEquals(rs.get(0).header("X-AlertHub-Notification"), rs.get(1).header("X-AlertHub-Notification"),
                     "the same notification, again");
        assertTrue(webhook(hub).retried() >= 1);
        assertEquals(0, webhook(hub).failed());
        assertEquals(1, detail(hub, "temporary_failures"));
        assertEquals(0, detail(hub, "pending_notifications"));
        assertEquals(2, target.requests().size(), "sent once it was taken; never again");
    }

    @Test
    void a429WaitsAtLeastItsRetryAfter() {
        target.answer(new WebhookServer.Answer(429, Map.of("Retry-After", "2"), "slow down", null));
        start("");
        hub.publish(violation(1, "line:7"));

        await().atMost(WAIT).until(() -> target.requests().size() == 2);
        List<WebhookServer.Request> rs = target.requests();
        Duration between = Duration.between(rs.get(0).at(), rs.get(1).at());
        assertTrue(between.compareTo(Duration.ofMillis(1_900)) >= 0,
                   "Retry-After: 2 honoured (the hub's own backoff is at most 0.3 s here): " + between);
        await().atMost(WAIT).until(() -> webhook(hub).delivered() == 1);
    }

    @Test
    void a404IsRefusedForGoodCountedAndNeverSentAgain() {
        target.answer(new WebhookServer.Answer(404, Map.of(), "no such hook: " + "x".repeat(300), null));
        start("");
        hub.publish(violation(1, "line:7"));

        await().atMost(WAIT).until(() -> webhook(hub).failed() == 1);
        assertEquals(1, detail(hub, "permanent_failures"));
        assertEquals(0, detail(hub, "pending_notifications"));
        // the next notification goes, and is the second request: the refused one was not tried again
        hub.publish(violation(2, "line:7"));
        await().atMost(WAIT).until(() -> webhook(hub).delivered() == 1);
        assertEquals(2, target.requests().size());
        assertEquals(2, target.requests().get(1).json().get("events").get(0).get("payload").get("violation_id")
                .asInt());
    }

    @Test
    void aTargetThatDoesNotAnswerInTimeIsTriedAgain() {
        CountDownLatch hang = new CountDownLatch(1);
        target.answer(new WebhookServer.Answer(200, Map.of(), "", hang));
        start(", timeout: PT0.5S");
        try {
            hub.publish(violation(1, "line:7"));
            await().atMost(WAIT).until(() -> target.requests().size() >= 2);
            await().atMost(WAIT).until(() -> webhook(hub).delivered() == 1);
            assertTrue(detail(hub, "temporary_failures") >= 1);
        } finally {
            hang.countDown();
        }
    }

    @Test
    void aUrlIsNeverLoggedWithItsCredentials() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            target.answer(WebhookServer.Answer.of(503), new WebhookServer.Answer(404, Map.of(), "gone", null));
            String url = "http://hookuser:hookpassword@127.0.0.1:" + target.port() + "/hook/T0001/SECRETPATH"
                    + "?token=SECRETQUERY";
            hub = WebhookHub.start(dir.resolve("data"), "url: \"" + url + "\"");
            hub.publish(violation(1, "line:7"));
            await().atMost(WAIT).until(() -> webhook(hub).failed() == 1);
            assertEquals("Basic " + Base64.getEncoder().encodeToString("hookuser:hookpassword".getBytes(
                    StandardCharsets.UTF_8)), target.requests().getFirst().header("Authorization"));
            assertEquals("/hook/T0001/SECRETPATH", target.requests().getFirst().path());
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("127.0.0.1:" + target.port())), lines.toString());
        for (String line : lines) {
            for (String secret : List.of("hookpassword", "SECRETPATH", "SECRETQUERY", "hookuser")) {
                assertFalse(line.contains(secret), "logged: " + line);
            }
        }
        assertFalse(webhook(hub).reason().contains("SECRET"));
    }
}
