package io.alerthub.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine (a NATS server of the test's own) stopped for ten seconds while a producer keeps posting to three hubs
 * and a dashboard is connected to each: ingest answers 503 {@code engine_unavailable} with {@code Retry-After}, the
 * dashboards stay connected and keep their heartbeats, health says DEGRADED; when the engine is back, every dashboard
 * gets every event that was accepted, in order, once, with nothing lost.
 */
class EngineRestartTest {

    private static final Duration AWAY = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("restart");
    private final List<TestHub> hubs = new ArrayList<>();
    private NatsServer engine;

    @AfterEach
    void stop() {
        hubs.forEach(TestHub::close);
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void ingestAnswers503WhileTheEngineIsAwayAndEveryClientCatchesUpInOrder() throws Exception {
        engine = NatsServer.start(dir.resolve("nats"));
        for (String name : List.of("a", "b", "c")) {
            hubs.add(TestHub.start(HubConfig.fromYaml(
                    "server: { port: 0 }\nhub:\n  data-dir: \"" + dir.resolve(name) + "\"\n"
                            + ClusterYaml.section(engine.url(), stream, name, Duration.ofSeconds(2))
                            + "plugins:\n  websocket: { heartbeat-interval: PT1S, heartbeat-timeout: PT30S }\n")));
        }
        List<WsProbe> dashboards = new ArrayList<>();
        Map<Long, String> accepted = new ConcurrentHashMap<>();
        List<String> refused = new ArrayList<>();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (TestHub h : hubs) {
                WsProbe p = WsProbe.connect("dashboard@" + h.port(), h.port(), "events=*");
                dashboards.add(p);
                await().atMost(Duration.ofSeconds(10)).until(() -> !p.of("welcome").isEmpty());
            }
            AtomicInteger next = new AtomicInteger();
            producer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                String id = "r-" + i;
                HttpResponse<String> r = hubs.get(i % 3).post("/api/v1/events",
                        "{\"type\":\"sample\",\"characteristic_id\":1,\"id\":\"" + id + "\",\"payload\":{\"i\":" + i + "}}");
                if (r.statusCode() == 202) {
                    accepted.put(HubClient.json(r.body()).get("seq").get(0).asLong(), id);
                } else {
                    synchronized (refused) {
                        refused.add(r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-") + " "
                                            + r.body());
                    }
                }
            }, 0, 25, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= 20);

            engine.stop();
            int before = accepted.size();
            long pingsBefore = pings(dashboards);
            // away for ten seconds: every post refused as engine_unavailable, dashboards connected, health DEGRADED
            await().pollDelay(Duration.ofSeconds(1)).during(AWAY).atMost(AWAY.plusSeconds(10))
                    .until(() -> engineAwayEverywhere() && dashboards.stream().allMatch(WsProbe::isOpen));
            synchronized (refused) {
                assertTrue(!refused.isEmpty());
                for (String r : refused) {
                    assertTrue(r.startsWith("503 2 ") && r.contains("\"code\":\"engine_unavailable\""), r);
                }
            }
            assertTrue(accepted.size() <= before + 3, "nothing accepted while the engine was away (beyond the"
                    + " requests in flight when it stopped)");
            assertTrue(pings(dashboards) > pingsBefore, "dashboards keep their heartbeats while the engine is away");

            engine.start();
            int resumed = accepted.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= resumed + 20);
        } finally {
            producer.shutdownNow();
            producer.awaitTermination(10, TimeUnit.SECONDS);
        }
        List<Long> expected = accepted.keySet().stream().sorted().toList();
        for (WsProbe p : dashboards) {
            await().atMost(Duration.ofSeconds(30)).until(() -> p.seqs().containsAll(expected));
            List<Long> got = p.seqs();
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i) > got.get(i - 1), p + ": in order, once: " + got);
            }
            // anything beyond what was accepted is an event whose 202 was lost when the engine went (its id says so)
            for (JsonNode e : p.events()) {
                String id = accepted.get(e.get("seq").asLong());
                assertTrue(id == null || id.equals(e.get("id").asText()), e.toString());
            }
            assertTrue(p.of("replay_gap").isEmpty());
            assertTrue(p.isOpen(), p + " stayed connected through the outage");
        }
        dashboards.forEach(WsProbe::close);
    }

    private boolean engineAwayEverywhere() {
        for (TestHub h : hubs) {
            HttpResponse<String> r = h.post("/api/v1/events", "{\"type\":\"probe\",\"payload\":{}}");
            if (r.statusCode() != 503 || !r.body().contains("engine_unavailable")
                    || r.headers().firstValue("Retry-After").isEmpty()) {
                return false;
            }
            JsonNode health = HubClient.json(h.get("/observe/health").body());
            boolean degraded = false;
            for (JsonNode check : health.path("checks")) {
                degraded |= check.path("name").asText().equals("cluster")
                        && check.path("data").path("state").asText().equals("DEGRADED");
            }
            if (!degraded || !HubClient.json(h.get("/api/v1/cluster").body()).get("engine").asText().equals("DOWN")) {
                return false;
            }
        }
        return true;
    }

    private static long pings(List<WsProbe> dashboards) {
        return dashboards.stream().mapToLong(p -> p.of("ping").size()).sum();
    }
}
