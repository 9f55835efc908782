package io.alerthub.core.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two hubs on one stream of the shared NATS: one cluster-wide seq, producer ids deduplicated whichever instance took
 * the first post, the same history on both, and a lane with side effects delivering each event once in all.
 */
class ClusterIngestTest {

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("ingest");
    private final List<TestHub> hubs = new ArrayList<>();
    private String url;

    @BeforeEach
    void start() {
        url = NatsServer.shared();
        for (String name : List.of("a", "b")) {
            hubs.add(TestHub.start(dir.resolve(name), "",
                                   ClusterYaml.section(url, stream, name, Duration.ofSeconds(2))
                                           + "plugins:\n  recorder: { enabled: true }\n"));
        }
    }

    @AfterEach
    void stop() {
        hubs.forEach(TestHub::close);
        NatsServer.deleteStream(url, stream);
    }

    @Test
    void oneSeqPerClusterAndDuplicatesAnsweredByEveryInstance() {
        TestHub a = hubs.get(0);
        TestHub b = hubs.get(1);
        List<Long> first = a.publish("{\"type\":\"sample\",\"characteristic_id\":1,\"id\":\"p-1\",\"payload\":{\"v\":1}}");
        List<Long> second = b.publish("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"v\":2}}");
        assertEquals(first.getFirst() + 1, second.getFirst());

        HttpResponse<String> again = b.post("/api/v1/events",
                                            "{\"type\":\"sample\",\"characteristic_id\":1,\"id\":\"p-1\",\"payload\":{}}");
        assertEquals(202, again.statusCode(), again.body());
        JsonNode body = HubClient.json(again.body());
        assertEquals(0, body.get("accepted").asInt());
        assertEquals(1, body.get("duplicates").asInt());
        assertEquals(first.getFirst(), body.get("seq").get(0).asLong());

        for (TestHub h : hubs) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode events = HubClient.json(h.get("/api/v1/events?since=0").body()).get("events");
                assertEquals(2, events.size());
                assertEquals(first.getFirst(), events.get(0).get("seq").asLong());
                assertEquals(second.getFirst(), events.get(1).get("seq").asLong());
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Long> delivered = new ArrayList<>();
            for (TestHub h : hubs) {
                h.recorded().stream().map(Event::seq).forEach(delivered::add);
            }
            delivered.sort(Long::compare);
            assertEquals(List.of(first.getFirst(), second.getFirst()), delivered);
        });
    }
}
