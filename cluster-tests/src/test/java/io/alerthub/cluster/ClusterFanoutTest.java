package io.alerthub.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three hubs on one stream of the shared NATS, each with the WebSocket, MQTT and email channels, as a load balancer
 * would see them: producers post to any instance, dashboards connect to any instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFanoutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String stream = ClusterYaml.privateStream("fanout");
    private final List<TestHub> hubs = new ArrayList<>();
    private String url;
    private Mosquitto broker;
    private GreenMail smtp;

    @BeforeAll
    void start(@TempDir Path dir) {
        url = NatsServer.shared();
        broker = Mosquitto.start(dir.resolve("mosquitto"));
        smtp = new GreenMail(ServerSetup.SMTP.dynamicPort());
        smtp.start();
        for (String name : List.of("a", "b", "c")) {
            hubs.add(TestHub.start(HubConfig.fromYaml(
                    "server: { port: 0 }\nhub:\n  data-dir: \"" + dir.resolve(name) + "\"\n"
                            + ClusterYaml.section(url, stream, name, Duration.ofSeconds(2))
                            + "plugins:\n"
                            + "  websocket: { openspc: { enabled: true } }\n"
                            + "  mqtt:\n"
                            + "    enabled: true\n"
                            + "    broker-uri: " + broker.uri() + "\n"
                            + "    client-id: alerthub-cluster\n"
                            + "    qos: { default: 1, sample: 1 }\n"
                            + "  email:\n"
                            + "    enabled: true\n"
                            + "    smtp: { host: 127.0.0.1, port: " + smtp.getSmtp().getPort() + " }\n"
                            + "    from: alerthub@plant.example\n"
                            + "    to: [quality@plant.example]\n"
                            + "    group-window: PT0.2S\n")));
        }
    }

    @AfterAll
    void stop() {
        hubs.forEach(TestHub::close);
        if (smtp != null) {
            smtp.stop();
        }
        if (broker != null) {
            broker.close();
        }
        NatsServer.deleteStream(url, stream);
    }

    @Test
    void everyClientOfEveryInstanceGetsEveryMatchingEventOnceInOrderAndSideEffectsHappenOnce() throws Exception {
        Map<String, List<WsProbe>> clients = new HashMap<>();
        for (int h = 0; h < hubs.size(); h++) {
            int port = hubs.get(h).port();
            clients.put("samples", add(clients.get("samples"), WsProbe.connect("samples@" + h, port,
                                                                                "characteristic_ids=1")));
            clients.put("line", add(clients.get("line"), WsProbe.connect("line@" + h, port, "topics=line:7")));
            clients.put("all", add(clients.get("all"), WsProbe.connect("all@" + h, port, "events=*")));
        }
        for (List<WsProbe> probes : clients.values()) {
            for (WsProbe p : probes) {
                await().atMost(WAIT).until(() -> !p.of("welcome").isEmpty());
            }
        }
        List<WsProbe> openSpc = new ArrayList<>();
        for (int h = 0; h < hubs.size(); h++) {
            WsProbe p = WsProbe.openSpc("openspc@" + h, hubs.get(h).port());
            openSpc.add(p);
            p.send("{\"type\":\"subscribe\",\"characteristic_ids\":[1]}");
            await().atMost(WAIT).until(() -> !p.of("subscribed").isEmpty());
        }
        try (MqttProbe device = new MqttProbe(broker.uri())) {
            List<Long> samples = new ArrayList<>();
            List<Long> sampleIds = new ArrayList<>();
            List<Long> violations = new ArrayList<>();
            List<Long> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String event = event(i);
                long seq = hubs.get(i % 3).publish(event).getFirst();
                all.add(seq);
                if (i % 3 == 0) {
                    samples.add(seq);
                    sampleIds.add((long) i);
                } else if (i % 3 == 1) {
                    violations.add(seq);
                }
                if (i % 5 == 0) {
                    // the producer did not hear the 202 and posts again, through another instance
                    HttpResponse<String> again = hubs.get((i + 1) % 3).post("/api/v1/events", event);
                    JsonNode body = HubClient.json(again.body());
                    assertEquals(202, again.statusCode(), again.body());
                    assertEquals(1, body.get("duplicates").asInt(), again.body());
                    assertEquals(seq, body.get("seq").get(0).asLong());
                }
            }
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i) > all.get(i - 1), "one seq per cluster, increasing: " + all);
            }
            assertEach(clients.get("samples"), samples);
            assertEach(clients.get("line"), violations);
            assertEach(clients.get("all"), all);
            // each violation opened one alarm, announced once per cluster (by the holder of the lease 'alarms'),
            // and alarm_update is a broadcast type: every /ws client of every instance gets the same announcements
            for (List<WsProbe> probes : clients.values()) {
                for (WsProbe p : probes) {
                    await().atMost(WAIT).until(() -> p.alarmUpdates().size() >= violations.size());
                }
            }
            List<Long> causes = clients.get("all").getFirst().alarmUpdates().stream()
                    .map(u -> u.get("payload").get("cause_seq").asLong()).toList();
            assertEquals(violations, causes, "one alarm_update per violation, cluster-wide");
            List<Long> announced = seqsOf(clients.get("all").getFirst().alarmUpdates());
            for (List<WsProbe> probes : clients.values()) {
                for (WsProbe p : probes) {
                    assertEquals(announced, seqsOf(p.alarmUpdates()), p + " got every alarm_update once, in order");
                }
            }
            for (WsProbe p : openSpc) {
                // OpenSPC's dialect has no seq: its sample messages carry the sample's id, in the order sent
                await().atMost(WAIT).until(() -> p.of("sample").size() >= sampleIds.size());
                assertEquals(sampleIds, p.of("sample").stream().map(m -> m.get("sample").get("id").asLong()).toList(),
                             p + " got every sample once, in order");
            }

            // side effects once per cluster: each event on the broker once, each violation mailed once
            await().atMost(WAIT).until(() -> device.seqs().containsAll(all));
            await().atMost(WAIT).until(() -> mailedEvents() >= violations.size());
            awaitLanesCaughtUp();
            for (long seq : all) {
                assertEquals(1, device.seqs().stream().filter(s -> s == seq).count(), "seq " + seq + " on MQTT");
            }
            assertEquals(violations.size(), mailedEvents(), "violations mailed (events counted over all mails)");
        } finally {
            clients.values().forEach(l -> l.forEach(WsProbe::close));
            openSpc.forEach(WsProbe::close);
        }

        JsonNode cluster = HubClient.json(hubs.getFirst().get("/api/v1/cluster").body());
        assertEquals("UP", cluster.get("engine").asText());
        assertEquals(3, cluster.get("members").size(), cluster.toString());
        // the email plugin sends what the notification policy decides: the policy runs under the lease "notify"
        for (String lane : List.of("mqtt", "notify", "alarms")) {
            int running = 0;
            for (JsonNode m : cluster.get("members")) {
                for (JsonNode l : m.get("lanes")) {
                    running += l.asText().equals(lane) ? 1 : 0;
                }
            }
            assertEquals(1, running, lane + " runs on one instance: " + cluster);
        }
    }

    @Test
    void aClientResumesOnAnotherInstanceWithTheLastSeqItGotWithoutGapOrDuplicate() {
        TestHub a = hubs.get(0);
        TestHub b = hubs.get(1);
        TestHub c = hubs.get(2);
        List<Long> posted = new ArrayList<>();
        long last;
        try (WsProbe onA = WsProbe.connect("resume@a", a.port(), "characteristic_ids=5")) {
            await().atMost(WAIT).until(() -> !onA.of("welcome").isEmpty());
            for (int i = 0; i < 3; i++) {
                posted.add(b.publish(sample(5, i)).getFirst());
            }
            await().atMost(WAIT).until(() -> onA.seqs().size() == 3);
            assertEquals(posted, onA.seqs());
            last = onA.seqs().getLast();
        }
        // while the client is away: more for it, and some for others, through another instance
        for (int i = 3; i < 6; i++) {
            posted.add(c.publish(sample(5, i)).getFirst());
            a.publish(sample(6, i));
        }
        try (WsProbe onC = WsProbe.connect("resume@c", c.port(), "characteristic_ids=5&since=" + last)) {
            await().atMost(WAIT).until(() -> onC.seqs().size() == 3);
            posted.add(a.publish(sample(5, 6)).getFirst());
            await().atMost(WAIT).until(() -> onC.seqs().size() == 4);
            assertEquals(posted.subList(3, 7), onC.seqs(), "exactly the events after " + last + ", in order");
            assertTrue(onC.of("replay_gap").isEmpty(), "no gap: " + onC.messages());
            assertTrue(onC.events().get(0).path("replay").asBoolean(), "the missed ones come as a replay");
        }
    }

    private static List<WsProbe> add(List<WsProbe> list, WsProbe p) {
        List<WsProbe> out = list == null ? new ArrayList<>() : list;
        out.add(p);
        return out;
    }

    /**
     * Every client of the list (one per instance) gets exactly {@code expected}, in order, besides the alarm_updates
     * every client gets (one per violation; checked on their own).
     */
    private static void assertEach(List<WsProbe> probes, List<Long> expected) {
        for (WsProbe p : probes) {
            await().atMost(WAIT).until(() -> p.seqs().size() - p.alarmUpdates().size() >= expected.size());
            List<Long> got = new ArrayList<>(p.seqs());
            got.removeAll(seqsOf(p.alarmUpdates()));
            assertEquals(expected, got, p + " got every matching event once, in seq order");
        }
    }

    private static List<Long> seqsOf(List<JsonNode> events) {
        return events.stream().map(e -> e.get("seq").asLong()).toList();
    }

    private static String event(int i) {
        return switch (i % 3) {
            case 0 -> "{\"type\":\"sample\",\"characteristic_id\":1,\"id\":\"ev-" + i + "\",\"payload\":{\"sample_id\":"
                    + i + ",\"value\":10.5}}";
            case 1 -> "{\"type\":\"violation\",\"characteristic_id\":2,\"topics\":[\"line:7\"],\"severity\":\"CRITICAL\","
                    + "\"id\":\"ev-" + i + "\",\"payload\":{\"violation_id\":" + i + ",\"rule_name\":\"Beyond 3 sigma\"}}";
            default -> "{\"type\":\"alert.created\",\"topics\":[\"project:9\"],\"id\":\"ev-" + i + "\",\"payload\":{\"i\":"
                    + i + "}}";
        };
    }

    private static String sample(int characteristic, int i) {
        return "{\"type\":\"sample\",\"characteristic_id\":" + characteristic + ",\"payload\":{\"i\":" + i + "}}";
    }

    /** Events mailed, over every mail (a digest carries several): the X-AlertHub-Events header of each. */
    private int mailedEvents() throws MessagingException {
        int n = 0;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            String kind = m.getHeader("X-AlertHub-Kind", null);
            if (!"reminder".equals(kind)) {
                n += Integer.parseInt(m.getHeader("X-AlertHub-Events", "0"));
            }
        }
        return n;
    }

    /** Every lane, on whichever instance runs it, has handed over everything. */
    private void awaitLanesCaughtUp() {
        await().atMost(WAIT).untilAsserted(() -> {
            for (TestHub h : hubs) {
                for (JsonNode p : h.plugins()) {
                    if (p.get("enabled").asBoolean()) {
                        assertEquals(0, p.get("lag").asLong(), h.port() + " " + p);
                    }
                }
            }
        });
    }
}
