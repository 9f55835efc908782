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
 * Production's shape: a 3-node NATS cluster on loopback ports and a stream with three replicas. One node killed
 * (SIGKILL, the one the first hub is connected to): the hubs reconnect to the others, the stream elects a new leader,
 * and the cluster goes on: ingest, every event to both instances, in order, none lost.
 */
class NatsNodeLossTest {

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("r3");
    private final List<TestHub> hubs = new ArrayList<>();
    private List<NatsServer> nodes = List.of();

    @AfterEach
    void stop() {
        hubs.forEach(TestHub::close);
        nodes.forEach(NatsServer::close);
    }

    @Test
    void killingOneOfThreeNatsNodesDoesNotStopTheCluster() {
        nodes = NatsServer.startCluster(dir.resolve("nats"), 3);
        for (String name : List.of("a", "b")) {
            // each hub lists every node; a first connects to the node it can, b likewise
            hubs.add(TestHub.start(dir.resolve(name), "",
                                   ClusterYaml.section(NatsServer.urls(nodes), stream, name, Duration.ofSeconds(2))
                                           + "  replicas: 3\n"
                                           + "plugins:\n  recorder: { enabled: true, local: true }\n"));
        }
        TestHub a = hubs.get(0);
        TestHub b = hubs.get(1);
        for (int i = 1; i <= 10; i++) {
            (i % 2 == 0 ? a : b).publish("{\"type\":\"sample\",\"characteristic_id\":1,\"payload\":{\"i\":" + i + "}}");
        }
        String connected = HubClient.json(a.get("/api/v1/cluster").body()).get("engine_url").asText();
        nodes.stream().filter(n -> n.url().equals(connected)).findFirst().orElseThrow().kill();

        // publishes during the election may be answered 503 engine_unavailable: a producer retries them
        for (int i = 11; i <= 20; i++) {
            String body = "{\"type\":\"sample\",\"characteristic_id\":1,\"id\":\"e-" + i + "\",\"payload\":{\"i\":" + i
                    + "}}";
            TestHub to = i % 2 == 0 ? a : b;
            await().atMost(Duration.ofSeconds(30)).until(() -> to.post("/api/v1/events", body).statusCode() == 202);
        }
        List<Long> all = LongStream.rangeClosed(1, 20).boxed().toList();
        for (TestHub h : hubs) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertEquals(all, h.recorded().stream().map(Event::seq).toList()));
        }
    }
}
