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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The alarms, silences and the notification policy (PROTOCOL section 10) on two hubs of one stream: a silence made on
 * one instance holds on the other, each alarm change is announced once, each notification is sent once, and the
 * policy moves with what it held when its instance stops.
 */
class ClusterNotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String stream = ClusterYaml.privateStream("notify");
    private final List<TestHub> hubs = new ArrayList<>();
    private String url;
    private GreenMail smtp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        url = NatsServer.shared();
        smtp = new GreenMail(ServerSetup.SMTP.dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        hubs.forEach(TestHub::close);
        smtp.stop();
        NatsServer.deleteStream(url, stream);
    }

    private void startHubs(Duration groupWindow) {
        for (String name : List.of("a", "b")) {
            hubs.add(TestHub.start(HubConfig.fromYaml(
                    "server: { port: 0 }\nhub:\n  data-dir: \"" + dir.resolve(name) + "\"\n"
                            + ClusterYaml.section(url, stream, name, Duration.ofSeconds(2))
                            + "plugins:\n"
                            + "  email:\n"
                            + "    enabled: true\n"
                            + "    smtp: { host: 127.0.0.1, port: " + smtp.getSmtp().getPort() + " }\n"
                            + "    from: alerthub@plant.example\n"
                            + "    to: [quality@plant.example]\n"
                            + "    group-window: " + groupWindow + "\n")));
        }
    }

    @Test
    void aSilenceMadeOnOneInstanceHoldsOnBothAndEachAlarmChangeAndNotificationHappensOnce() throws Exception {
        startHubs(Duration.ZERO);
        TestHub a = hubs.get(0);
        TestHub b = hubs.get(1);

        HttpResponse<String> made = b.post("/api/v1/silences",
                                           "{\"matchers\":{\"topic\":\"line:9\"},\"duration\":\"PT1H\","
                                                   + "\"created_by\":\"test\",\"comment\":\"maintenance\"}");
        assertEquals(201, made.statusCode(), made.body());
        String id = HubClient.json(made.body()).get("id").asText();
        // silences are stamped at ingest: wait until the other instance has it before posting there
        await().atMost(WAIT).until(() -> activeSilences(a).contains(id));

        a.publish(violation(901, "line:9"));
        b.publish(violation(902, "line:7"));
        a.publish(violation(903, "line:7"));
        await().atMost(WAIT).until(() -> mailedEvents() >= 2);
        for (TestHub h : hubs) {
            await().atMost(WAIT).until(() -> alarms(h).size() == 3);
        }

        HttpResponse<String> ack = a.post("/api/v1/violations/902/ack",
                                          "{\"user\":\"operator1\",\"reason\":\"adjusted\",\"characteristic_id\":2}");
        assertEquals(202, ack.statusCode(), ack.body());
        await().atMost(WAIT).until(() -> alarms(b).get(902L).get("acknowledged").asBoolean());

        // expired on one instance, no longer stamped by the other
        assertEquals(200, a.send("DELETE", "/api/v1/silences/" + id, null, null).statusCode());
        await().atMost(WAIT).until(() -> !activeSilences(b).contains(id));
        b.publish(violation(904, "line:9"));
        await().atMost(WAIT).until(() -> mailedEvents() >= 3);
        awaitCaughtUp();
        for (TestHub h : hubs) {
            await().atMost(WAIT).until(() -> alarms(h).size() == 4);
        }

        assertEquals(3, mailedEvents(), "902, 903 and 904 mailed once each, 901 silenced");
        Map<String, Integer> changes = new HashMap<>();
        for (JsonNode e : HubClient.json(b.get("/api/v1/events?type=alarm_update&limit=1000").body()).get("events")) {
            JsonNode p = e.get("payload");
            changes.merge(p.get("violation_id").asText() + " " + p.get("change").asText(), 1, Integer::sum);
        }
        assertEquals(Map.of("901 opened", 1, "902 opened", 1, "903 opened", 1, "904 opened", 1,
                            "902 acknowledged", 1), changes, "each alarm change announced once, cluster-wide");
    }

    @Test
    void theNotificationPolicyMovesToTheOtherInstanceWithTheDigestItHeld() throws Exception {
        // long enough that the group is still open when its instance stops, even on a busy machine
        startHubs(Duration.ofSeconds(6));
        await().atMost(WAIT).until(() -> !notifyLane(hubs.getFirst()).path("holder").asText().isEmpty());
        String holderId = notifyLane(hubs.getFirst()).get("holder").asText();
        TestHub holder = holderId.equals("a") ? hubs.get(0) : hubs.get(1);
        TestHub other = holder == hubs.get(0) ? hubs.get(1) : hubs.get(0);

        long last = 0;
        for (int v = 1; v <= 3; v++) {
            last = holder.publish(violation(910 + v, "line:7")).getFirst();
        }
        long lastSeq = last;
        // the holder has read them into its open group and kept its state in the engine
        await().atMost(WAIT).until(() -> notifyLane(other).path("cursor").asLong() >= lastSeq);
        assertEquals(0, smtp.getReceivedMessages().length, "the group window has not passed yet");

        holder.close();
        hubs.remove(holder);

        await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length >= 1);
        awaitCaughtUp();
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length, "one digest");
        assertEquals("digest", mails[0].getHeader("X-AlertHub-Kind", null));
        assertEquals("3", mails[0].getHeader("X-AlertHub-Events", null));
        assertEquals(otherId(holderId), notifyLane(other).get("holder").asText());
        assertEquals(1, other.plugin("email").get("delivered").asLong(), "sent by the instance that took over");
    }

    private static String otherId(String id) {
        return id.equals("a") ? "b" : "a";
    }

    private static String violation(int id, String topic) {
        return "{\"type\":\"violation\",\"characteristic_id\":2,\"topics\":[\"" + topic + "\"],"
                + "\"severity\":\"CRITICAL\",\"payload\":{\"violation_id\":" + id + ",\"rule_name\":\"Beyond 3 sigma\"}}";
    }

    private static List<String> activeSilences(TestHub h) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : HubClient.json(h.get("/api/v1/silences").body()).get("silences")) {
            if (s.get("active").asBoolean()) {
                out.add(s.get("id").asText());
            }
        }
        return out;
    }

    private static Map<Long, JsonNode> alarms(TestHub h) {
        Map<Long, JsonNode> out = new HashMap<>();
        for (JsonNode a : HubClient.json(h.get("/api/v1/alarms?state=all").body()).get("alarms")) {
            out.put(a.get("violation_id").asLong(), a);
        }
        return out;
    }

    private static JsonNode notifyLane(TestHub h) {
        for (JsonNode l : HubClient.json(h.get("/api/v1/cluster").body()).get("lanes")) {
            if (l.get("name").asText().equals("notify")) {
                return l;
            }
        }
        return HubClient.JSON.createObjectNode();
    }

    /** Events mailed, over every mail (a digest carries several). */
    private int mailedEvents() throws MessagingException {
        int n = 0;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            n += Integer.parseInt(m.getHeader("X-AlertHub-Events", "0"));
        }
        return n;
    }

    /** The policy, on whichever instance runs it, has read everything and sent what it decided. */
    private void awaitCaughtUp() {
        await().atMost(WAIT).untilAsserted(() -> {
            for (TestHub h : hubs) {
                JsonNode email = h.plugin("email");
                assertEquals(0, email.get("lag").asLong(), h.port() + " " + email);
            }
        });
    }
}
