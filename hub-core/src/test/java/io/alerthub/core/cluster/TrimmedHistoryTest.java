package io.alerthub.core.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An instance that comes back after the stream's retention removed events it never copied: JetStream starts its
 * consumer at the stream's first sequence without a word, so the instance must notice the jump itself. Its lanes
 * count the events skipped (and the WebSocket plugin is told, to send replay_gap), nothing is silently passed over.
 */
class TrimmedHistoryTest {

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("trimmed");
    private final String url = NatsServer.shared();
    private final List<TestHub> hubs = new ArrayList<>();

    @AfterEach
    void stop() {
        hubs.forEach(TestHub::close);
        NatsServer.deleteStream(url, stream);
    }

    private TestHub start(String name) {
        TestHub h = TestHub.start(dir.resolve(name), "log: { retention-events: 5 }",
                                  ClusterYaml.section(url, stream, name, Duration.ofSeconds(2))
                                          + "plugins:\n  recorder: { enabled: true, local: true }\n");
        hubs.add(h);
        return h;
    }

    private static String event(int i) {
        return "{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"i\":" + i + "}}";
    }

    @Test
    void anInstanceBackAfterTheStreamTrimmedWhatItMissedCountsTheGap() {
        TestHub a = start("a");
        TestHub b = start("b");
        for (int i = 1; i <= 3; i++) {
            a.publish(event(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> b.recorded().size() == 3);
        b.close();
        hubs.remove(b);

        for (int i = 4; i <= 23; i++) {
            a.publish(event(i)); // the stream keeps the last 5: 19..23
        }
        TestHub back = start("b");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(
                List.of(1L, 2L, 3L, 19L, 20L, 21L, 22L, 23L), back.recorded().stream().map(Event::seq).toList()));
        assertEquals(15, back.pluginStatus("recorder").skipped(), "seq 4..18 counted as skipped, not passed over");
        assertEquals(15, HubClient.json(back.get("/api/v1/cluster").body()).get("trimmed").asLong());
        // history goes on after the gap with the same seqs as the instance that never missed them
        assertEquals(LongStream.rangeClosed(19, 23).boxed().toList(),
                     seqs(back.get("/api/v1/events?since=3").body()));
        assertEquals(seqs(a.get("/api/v1/events?since=18").body()), seqs(back.get("/api/v1/events?since=18").body()));
    }

    private static List<Long> seqs(String body) {
        List<Long> out = new ArrayList<>();
        HubClient.json(body).get("events").forEach(e -> out.add(e.get("seq").asLong()));
        return out;
    }
}
