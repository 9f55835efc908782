package io.alerthub.websocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume: replay from the history, then live, with no gap and no duplicate at the seam; replay_gap. */
class ResumeTest {

    @TempDir
    Path dataDir;

    @Test
    void replayThenLiveWhileEventsArePublishedDuringTheReplay() {
        try (TestHub hub = TestHub.start(dataDir, "send-queue: 64")) {
            long since = hub.head();
            List<Long> expected = Collections.synchronizedList(new ArrayList<>());
            List<Long> held = publishMixed(hub, 0, 1000);
            expected.addAll(held);
            // More events go in while the client connects and replays.
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                for (int batch = 1; batch <= 50; batch++) {
                    expected.addAll(publishMixed(hub, batch, 20));
                }
            });
            List<JsonNode> received = new ArrayList<>();
            try (WsClient c = WsClient.connect(hub.ws("/ws?topics=line:1&since=" + since))) {
                assertEquals("welcome", c.next().get("type").asText());
                assertEquals("subscribed", c.next().get("type").asText());
                publisher.join();
                long last = expected.getLast();
                while (received.isEmpty() || received.getLast().get("seq").asLong() < last) {
                    received.add(c.next());
                }
                // Nothing after the last one either (no late duplicate).
                long after = hub.publishOne("{\"type\":\"sample\",\"topics\":[\"line:1\"],\"payload\":{}}");
                assertEquals(after, c.next().get("seq").asLong());
            }
            List<Long> seqs = received.stream().map(m -> m.get("seq").asLong()).toList();
            assertEquals(expected.stream().sorted().toList(), seqs, "every line:1 event once, in seq order");
            int firstLive = 0;
            while (firstLive < received.size() && received.get(firstLive).path("replay").asBoolean()) {
                firstLive++;
            }
            assertTrue(firstLive >= held.size(), "the events held before connecting are replayed: " + firstLive);
            for (int i = firstLive; i < received.size(); i++) {
                assertFalse(received.get(i).has("replay"), "no replayed event after a live one: " + received.get(i));
            }
        }
    }

    @Test
    void aConnectRightAfterAPublishReplaysWhatWasJustPublished() {
        try (TestHub hub = TestHub.start(dataDir, "")) {
            for (int round = 0; round < 20; round++) {
                long since = hub.head();
                List<Long> seqs = hub.publish("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{}}",
                                              "{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{}}");
                try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=1&since=" + since))) {
                    assertEquals("welcome", c.next().get("type").asText());
                    assertEquals("subscribed", c.next().get("type").asText());
                    for (long seq : seqs) {
                        JsonNode e = c.next();
                        assertEquals(seq, e.get("seq").asLong(), "round " + round + ": " + e);
                        assertTrue(e.path("replay").asBoolean(), e.toString());
                    }
                }
            }
        }
    }

    @Test
    void aResumeBeyondTheHistoryStartsWithReplayGap() {
        try (TestHub hub = TestHub.start(dataDir, "", "", "history-size: 10", null)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seqs.addAll(publishMixed(hub, i, 10));
            }
            long head = hub.head();
            long oldest = head - 10 + 1;
            try (WsClient c = WsClient.connect(hub.ws("/ws?topics=line:1&since=" + seqs.getFirst()))) {
                c.next("subscribed");
                JsonNode gap = c.next();
                assertEquals(TestHub.parse("{\"type\":\"replay_gap\",\"from_seq\":" + (seqs.getFirst() + 1)
                                                   + ",\"to_seq\":" + (oldest - 1) + "}"), gap);
                List<Long> held = seqs.stream().filter(s -> s >= oldest).toList();
                for (long s : held) {
                    JsonNode m = c.next();
                    assertEquals(s, m.get("seq").asLong());
                    assertTrue(m.get("replay").asBoolean());
                }
                long live = hub.publishOne("{\"type\":\"sample\",\"topics\":[\"line:1\"],\"payload\":{}}");
                JsonNode m = c.next();
                assertEquals(live, m.get("seq").asLong());
                assertFalse(m.has("replay"));
            }

            // A seq this hub never reached (its data was reset): a gap up to it, then live from the head.
            try (WsClient c = WsClient.connect(hub.ws("/ws?topics=line:1"))) {
                c.next("subscribed");
                long now = hub.head();
                c.send("{\"type\":\"resume\",\"since\":" + (now + 500) + "}");
                assertEquals(TestHub.parse("{\"type\":\"replay_gap\",\"from_seq\":" + (now + 1) + ",\"to_seq\":"
                                                   + (now + 500) + "}"), c.next());
                long live = hub.publishOne("{\"type\":\"sample\",\"topics\":[\"line:1\"],\"payload\":{}}");
                assertEquals(live, c.next().get("seq").asLong());
            }
        }
    }

    @Test
    void aNewConnectionWithoutSinceGetsOnlyEventsAfterItsWelcome() {
        try (TestHub hub = TestHub.start(dataDir, "")) {
            publishMixed(hub, 0, 20);
            // The lane routes the 20 events after the 202; on a busy machine a connection made at once may come
            // before some of them, and rightly receive them live. This test is about events before its welcome.
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.details().get("last_seq").asLong() == hub.head());
            try (WsClient c = WsClient.connect(hub.ws("/ws?topics=line:1"))) {
                long lastSeq = c.next("welcome").get("last_seq").asLong();
                c.next("subscribed");
                long live = hub.publishOne("{\"type\":\"sample\",\"topics\":[\"line:1\"],\"payload\":{}}");
                JsonNode m = c.next();
                assertTrue(m.get("seq").asLong() > lastSeq);
                assertEquals(live, m.get("seq").asLong());
            }
        }
    }

    /** Publishes {@code count} events, every other one on line:1; returns the seqs of those on line:1. */
    private static List<Long> publishMixed(TestHub hub, int batch, int count) {
        String[] events = new String[count];
        for (int i = 0; i < count; i++) {
            events[i] = "{\"type\":\"sample\",\"topics\":[\"line:" + (i % 2 == 0 ? 1 : 2) + "\"],\"payload\":{\"batch\":"
                    + batch + ",\"i\":" + i + "}}";
        }
        List<Long> seqs = hub.publish(events);
        List<Long> line1 = new ArrayList<>();
        for (int i = 0; i < count; i += 2) {
            line1.add(seqs.get(i));
        }
        return line1;
    }
}
