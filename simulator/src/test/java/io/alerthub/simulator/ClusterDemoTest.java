package io.alerthub.simulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.Hub;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.NatsServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code alerthub demo --cluster}: three hubs on one stream, one dashboard each, the same events on every one. */
class ClusterDemoTest {

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("demo");
    private final String url = NatsServer.shared();

    @AfterEach
    void drop() {
        NatsServer.deleteStream(url, stream);
    }

    @Test
    void threeHubsEachWithItsDashboardShowTheSameEvents() throws Exception {
        Path config = dir.resolve("demo.yaml");
        Files.writeString(config, "server: { port: 0 }\nhub: { data-dir: \"" + dir.resolve("data") + "\" }\n"
                + "cluster:\n  nats-urls: \"" + url + "\"\n  stream: " + stream + "\n  takeover-after: PT2S\n");
        DemoOptions options = DemoOptions.parse(new String[] {"--config", config.toString(), "--cluster", "--rate", "25",
                "--seed", "4"}, () -> 1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Demo demo = Demo.start(DemoMain.configs(options), options,
                                    new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String text = printed.toString(StandardCharsets.UTF_8);
            for (int i = 1; i <= 3; i++) {
                assertTrue(text.contains("dashboard of instance demo-" + i + ": http://"), text);
            }
            assertEquals(3, demo.dashboards().size());
            List<HubClient> clients = new ArrayList<>();
            for (Hub h : demo.hubs()) {
                clients.add(new HubClient(h.port(), null, null));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seqs(clients.getFirst()).size() >= 30);
            List<Long> first30 = seqs(clients.getFirst()).subList(0, 30);
            for (HubClient c : clients) {
                await().atMost(Duration.ofSeconds(30)).until(() -> seqs(c).size() >= 30);
                assertEquals(first30, seqs(c).subList(0, 30), "every instance holds the same events, same seqs");
            }
        }
    }

    private static List<Long> seqs(HubClient hub) {
        List<Long> out = new ArrayList<>();
        HubClient.json(hub.get("/api/v1/events?since=0&limit=1000").body()).get("events")
                .forEach(e -> out.add(e.get("seq").asLong()));
        return out;
    }
}
