package io.alerthub.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;
import io.alerthub.core.testing.NatsServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three hubs as real processes; while events flow, the one running the MQTT lane is killed with SIGKILL. Another
 * instance takes the lane over within {@code takeover-after}, from the cursor stored in the engine, and every event
 * reaches the broker: none lost, duplicates within the documented bound.
 */
class MqttTakeoverTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(2);
    /** docs/architecture.md: at most one lane batch (hub.dispatch.batch-size) plus the MQTT in-flight window. */
    private static final int DUPLICATE_BOUND = 256 + 100;
    private static final int EVENTS = 150;

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("takeover");
    private final String url = NatsServer.shared();
    private final Map<String, HubProcess> hubs = new LinkedHashMap<>();
    private Mosquitto broker;

    @AfterEach
    void stop() {
        hubs.values().forEach(h -> h.kill(Duration.ofSeconds(10)));
        if (broker != null) {
            broker.close();
        }
        NatsServer.deleteStream(url, stream);
    }

    @Test
    void killingTheInstanceRunningMqttMovesItsLaneAndLosesNothing() throws Exception {
        broker = Mosquitto.start(dir.resolve("mosquitto"));
        for (String name : List.of("a", "b", "c")) {
            Path config = dir.resolve(name + ".yaml");
            Files.writeString(config, "server: { port: 0 }\nhub:\n  data-dir: \"" + dir.resolve(name) + "\"\n"
                    + ClusterYaml.section(url, stream, name, TAKEOVER)
                    + "plugins:\n  mqtt:\n    enabled: true\n    broker-uri: " + broker.uri() + "\n"
                    + "    client-id: alerthub-takeover\n    qos: { default: 1, sample: 1 }\n");
            hubs.put(name, HubProcess.start(config));
        }
        Map<String, HubClient> clients = new LinkedHashMap<>();
        hubs.forEach((name, h) -> clients.put(name, h.client()));
        String holder = awaitMqttHolder(clients.get("a"));
        List<HubClient> survivors = new ArrayList<>();
        clients.forEach((name, c) -> {
            if (!name.equals(holder)) {
                survivors.add(c);
            }
        });

        try (MqttProbe device = new MqttProbe(broker.uri())) {
            Set<Long> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch third = new CountDownLatch(EVENTS / 3);
            CountDownLatch all = new CountDownLatch(EVENTS);
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            // a producer at 50 events/s, through the instances that stay up
            producer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= EVENTS) {
                    return;
                }
                String body = "{\"type\":\"sample\",\"characteristic_id\":3,\"id\":\"k-" + i
                        + "\",\"payload\":{\"i\":" + i + "}}";
                HttpResponse<String> r = survivors.get(i % 2).post("/api/v1/events", body);
                if (r.statusCode() == 202) {
                    accepted.add(HubClient.json(r.body()).get("seq").get(0).asLong());
                }
                third.countDown();
                all.countDown();
            }, 0, 20, TimeUnit.MILLISECONDS);
            try {
                assertTrue(third.await(60, TimeUnit.SECONDS));
                hubs.get(holder).kill(Duration.ofSeconds(10));
                long killedAt = System.nanoTime();
                await().atMost(TAKEOVER.multipliedBy(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> survivors.stream().anyMatch(MqttTakeoverTest::runsMqtt));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
                System.out.println("MQTT lane taken over " + takeover.toMillis() + " ms after the kill"
                                           + " (takeover-after " + TAKEOVER.toMillis() + " ms)");
                // the design's bound is takeover-after; the test allows for a loaded machine observing it late
                assertTrue(takeover.compareTo(TAKEOVER.multipliedBy(2)) <= 0, "taken over after " + takeover);
                assertTrue(all.await(60, TimeUnit.SECONDS));
            } finally {
                producer.shutdownNow();
            }
            assertEquals(EVENTS, accepted.size(), "every post accepted by an instance that stayed up");

            await().atMost(Duration.ofSeconds(30)).until(() -> device.seqs().containsAll(accepted));
            List<Long> got = device.seqs();
            int duplicates = got.size() - new HashSet<>(got).size();
            System.out.println("MQTT: " + accepted.size() + " events, " + got.size() + " messages, " + duplicates
                                       + " duplicates at the takeover");
            assertTrue(duplicates <= DUPLICATE_BOUND, duplicates + " duplicates");
        }
    }

    private static String awaitMqttHolder(HubClient any) {
        String[] holder = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode cluster = HubClient.json(any.get("/api/v1/cluster").body());
            for (JsonNode m : cluster.path("members")) {
                for (JsonNode lane : m.path("lanes")) {
                    if (lane.asText().equals("mqtt")) {
                        holder[0] = m.get("instance_id").asText();
                        return cluster.path("members").size() == 3;
                    }
                }
            }
            return false;
        });
        return holder[0];
    }

    /** Whether this instance runs the MQTT lane now (its plugin entry is no longer on standby). */
    private static boolean runsMqtt(HubClient hub) {
        try {
            return !hub.plugin("mqtt").path("reason").asText().startsWith("standby");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
