package io.alerthub.websocket;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The routing table of PROTOCOL section 3 against a running hub: topic patterns × event-type patterns ×
 * broadcast types, each matching connection getting each event exactly once, in seq order.
 */
class RoutingTest {

    /** The events, by name, in publishing order. */
    private static final Map<String, String> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("violation-7", "{\"type\":\"violation\",\"characteristic_id\":7,\"topics\":[\"line:7\"],\"payload\":{}}");
        EVENTS.put("sample-8", "{\"type\":\"sample\",\"characteristic_id\":8,\"payload\":{}}");
        EVENTS.put("alert-project", "{\"type\":\"alert.created\",\"topics\":[\"project:456\"],\"payload\":{}}");
        EVENTS.put("alert-v2", "{\"type\":\"alert.created.v2\",\"payload\":{}}");
        EVENTS.put("ack-9", "{\"type\":\"ack_update\",\"characteristic_id\":9,\"payload\":{\"violation_id\":1}}");
        EVENTS.put("alert-bare", "{\"type\":\"alert\",\"topics\":[\"line:8\"],\"payload\":{}}");
        EVENTS.put("custom-line-7a", "{\"type\":\"custom.event\",\"topics\":[\"line:7.a\"],\"payload\":{}}");
        EVENTS.put("violation-A7", "{\"type\":\"violation\",\"characteristic_id\":\"A-7\",\"payload\":{}}");
    }

    /** Subscription (as a subscribe message) → the events it must receive, in order. */
    private static final Object[][] TABLE = {
        {"{\"characteristic_ids\":[7]}", List.of("violation-7", "ack-9")},
        {"{\"characteristic_ids\":[\"A-7\"]}", List.of("ack-9", "violation-A7")},
        {"{\"topics\":[\"line:*\"]}", List.of("violation-7", "ack-9", "alert-bare", "custom-line-7a")},
        {"{\"topics\":[\"line:7.*\"]}", List.of("ack-9", "custom-line-7a")},
        {"{\"topics\":[\"project:456\"]}", List.of("alert-project", "ack-9")},
        {"{\"topics\":[\"characteristic:*\"]}", List.of("violation-7", "sample-8", "ack-9", "violation-A7")},
        {"{\"topics\":[\"*\"]}", List.of("violation-7", "sample-8", "alert-project", "ack-9", "alert-bare",
                                         "custom-line-7a", "violation-A7")},
        {"{\"events\":[\"alert.*\"]}", List.of("alert-project", "alert-v2", "ack-9")},
        {"{\"events\":[\"alert\"]}", List.of("ack-9", "alert-bare")},
        {"{\"events\":[\"violation\"]}", List.of("violation-7", "ack-9", "violation-A7")},
        {"{\"events\":[\"*\"]}", List.of("violation-7", "sample-8", "alert-project", "alert-v2", "ack-9", "alert-bare",
                                         "custom-line-7a", "violation-A7")},
        {"{\"characteristic_ids\":[7],\"topics\":[\"characteristic:7\",\"line:7\"],\"events\":[\"violation\"]}",
            List.of("violation-7", "ack-9", "violation-A7")},
        {"{\"topics\":[\"project:456\"],\"events\":[\"sample\"]}", List.of("sample-8", "alert-project", "ack-9")},
        {"{\"characteristic_ids\":[99]}", List.of("ack-9")},
    };

    @TempDir
    Path dataDir;

    @Test
    void everyConnectionGetsExactlyTheEventsItsSubscriptionReachesOnceAndInOrder() {
        try (TestHub hub = TestHub.start(dataDir, "")) {
            List<WsClient> clients = new ArrayList<>();
            try {
                for (Object[] row : TABLE) {
                    WsClient c = WsClient.connect(hub.ws("/ws"));
                    c.next("welcome");
                    String subscription = (String) row[0];
                    c.send("{\"type\":\"subscribe\"," + subscription.substring(1));
                    c.next("subscribed");
                    clients.add(c);
                }
                Map<Long, String> names = new LinkedHashMap<>();
                List<Long> seqs = hub.publish(EVENTS.values().toArray(String[]::new));
                List<String> keys = new ArrayList<>(EVENTS.keySet());
                for (int i = 0; i < seqs.size(); i++) {
                    names.put(seqs.get(i), keys.get(i));
                }
                long end = hub.publishOne("{\"type\":\"ack_update\",\"payload\":{\"end\":true}}");

                for (int i = 0; i < TABLE.length; i++) {
                    List<String> received = new ArrayList<>();
                    while (true) {
                        JsonNode m = clients.get(i).next();
                        long seq = m.get("seq").asLong();
                        if (seq == end) {
                            break;
                        }
                        received.add(names.get(seq));
                    }
                    assertEquals(TABLE[i][1], received, "subscription " + TABLE[i][0]);
                }
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }
}
