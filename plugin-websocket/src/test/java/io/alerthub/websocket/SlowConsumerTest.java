package io.alerthub.websocket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that never reads, on the same topic as a fast one: its bounded queue overflows, the hub closes it
 * (1008 slow consumer) and cuts its socket, while the fast client receives every event in time. What the slow one
 * did receive is a gap-free prefix of the stream.
 */
class SlowConsumerTest {

    private static final int BATCH = 10;
    private static final String BLOB = "x".repeat(30_000);

    @TempDir
    Path dataDir;

    @Test
    void aClientThatNeverReadsIsClosedWhileAFastOneGetsEveryEventInTime() throws IOException {
        try (TestHub hub = TestHub.start(dataDir, "send-queue: 32, close-timeout: PT1S")) {
            List<Long> published = new ArrayList<>();
            try (WsClient fast = WsClient.connect(hub.ws("/ws?topics=line:1"));
                 RawWsClient slow = RawWsClient.connect(hub.port(), "/ws?topics=line:1", 4096)) {
                fast.next("subscribed");
                await().until(() -> hub.details().get("subscriptions").asInt() == 2);

                int batches = 0;
                while (hub.details().get("slow_consumer_closes").asLong() == 0) {
                    assertTrue(++batches <= 200, "the slow consumer was never closed");
                    publishBatchAndExpectItPromptly(hub, fast, batches, published);
                }
                // The fast client goes on as before once the slow one is gone.
                for (int i = 0; i < 3; i++) {
                    publishBatchAndExpectItPromptly(hub, fast, ++batches, published);
                }
                // The slow one never takes its close frame: its socket is cut after close-timeout, and freed.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode d = hub.details();
                    assertEquals(1, d.get("connections").asInt(), d.toString());
                    assertEquals(0, d.get("closing").asInt(), d.toString());
                });

                List<Long> prefix = readEverything(slow);
                assertTrue(prefix.size() < published.size(), "the slow client got less than everything");
                assertEquals(published.subList(0, prefix.size()), prefix, "a gap-free prefix of the stream");
            }
        }
    }

    private static void publishBatchAndExpectItPromptly(TestHub hub, WsClient fast, int batch, List<Long> published) {
        String[] events = new String[BATCH];
        for (int i = 0; i < BATCH; i++) {
            events[i] = "{\"type\":\"sample\",\"topics\":[\"line:1\"],\"payload\":{\"batch\":" + batch
                    + ",\"blob\":\"" + BLOB + "\"}}";
        }
        List<Long> seqs = hub.publish(events);
        published.addAll(seqs);
        for (long seq : seqs) {
            assertEquals(seq, fast.next(Duration.ofSeconds(5)).get("seq").asLong(),
                         "the fast client is not held up by the slow one");
        }
    }

    /** Every event frame the slow client can still read, up to the end of its stream. */
    private static List<Long> readEverything(RawWsClient slow) {
        List<Long> seqs = new ArrayList<>();
        slow.setReadTimeout(5000);
        try {
            while (true) {
                RawWsClient.Frame f = slow.readFrame();
                if (f.opcode() == 0x8) {
                    break;
                }
                JsonNode m = TestHub.parse(f.text());
                if (m.has("seq")) {
                    seqs.add(m.get("seq").asLong());
                }
            }
        } catch (IOException e) {
            // end of the stream (the socket was cut, possibly in the middle of a frame)
        }
        return seqs;
    }
}
