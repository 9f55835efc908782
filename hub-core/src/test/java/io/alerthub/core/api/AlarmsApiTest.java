package io.alerthub.core.api;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.alerthub.core.testing.TestHub.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/alarms} and the commands on alarms, through a real server and a real client. */
class AlarmsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, "");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String violation(Object id, int characteristic, String topic, String severity) {
        return """
                {"type":"violation","characteristic_id":%d,"topics":["%s"],"severity":"%s",
                 "payload":{"violation_id":%s,"rule_id":1,"rule_name":"One point beyond 3 sigma"}}"""
                .formatted(characteristic, topic, severity, id instanceof String s ? "\"" + s + "\"" : id);
    }

    private static JsonNode alarms(String query) {
        HttpResponse<String> r = hub.get("/api/v1/alarms" + query);
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).get("alarms");
    }

    private static List<String> ids(JsonNode alarms) {
        List<String> out = new ArrayList<>();
        alarms.forEach(a -> out.add(a.get("violation_id").asText()));
        return out;
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String field) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r.body()).get("error");
        assertEquals(code, e.get("code").asText(), r.body());
        if (field != null) {
            assertEquals(field, e.get("field").asText(), r.body());
        }
    }

    @Test
    void aViolationOpensAnAlarmThatIsAcknowledgedOnceAndClearedIndependently() {
        hub.publish(violation(101, 1, "line:7", "CRITICAL"));
        JsonNode a = json(hub.get("/api/v1/alarms/101").body());
        assertEquals("ACTIVE", a.get("state").asText(), "a violation accepted a moment ago is known at once");
        assertFalse(a.get("acknowledged").asBoolean());
        assertEquals(101, a.get("violation_id").asInt());
        assertTrue(a.get("violation_id").isNumber());
        assertEquals("One point beyond 3 sigma", a.get("rule_name").asText());
        assertEquals(List.of("characteristic:1", "line:7"), List.of(a.get("topics").get(0).asText(),
                                                                  a.get("topics").get(1).asText()));

        HttpResponse<String> first = hub.post("/api/v1/violations/101/ack",
                                              "{\"user\":\"operator1\",\"reason\":\"Process adjusted\"}");
        assertEquals(202, first.statusCode(), first.body());
        long ackSeq = json(first.body()).get("seq").get(0).asLong();
        HttpResponse<String> second = hub.post("/api/v1/violations/101/ack", "{\"user\":\"operator2\"}");
        assertEquals(200, second.statusCode(), second.body());
        JsonNode again = json(second.body());
        assertTrue(again.get("already_acknowledged").asBoolean());
        assertEquals(ackSeq, again.get("seq").get(0).asLong(), "the first acknowledgement's event");
        assertEquals("operator1", again.get("alarm").get("ack_user").asText(), "the first acknowledgement stays");

        HttpResponse<String> cleared = hub.post("/api/v1/violations/101/clear", "{\"user\":\"operator2\","
                + "\"reason\":\"Tool changed\"}");
        assertEquals(202, cleared.statusCode(), cleared.body());
        JsonNode c = json(hub.get("/api/v1/alarms/101").body());
        assertEquals("CLEARED", c.get("state").asText());
        assertTrue(c.get("acknowledged").asBoolean(), "clearing does not undo the acknowledgement");
        assertEquals("operator1", c.get("ack_user").asText());
        assertEquals("operator2", c.get("cleared_by").asText());
        assertEquals("Tool changed", c.get("clear_reason").asText());
        HttpResponse<String> twice = hub.post("/api/v1/violations/101/clear", "{\"user\":\"operator2\"}");
        assertEquals(200, twice.statusCode());
        assertTrue(json(twice.body()).get("already_cleared").asBoolean());

        JsonNode clearEvent = null;
        for (JsonNode e : json(hub.get("/api/v1/events?since=0&type=violation_cleared").body()).get("events")) {
            if (e.get("payload").get("violation_id").asInt() == 101) {
                clearEvent = e;
            }
        }
        assertEquals("characteristic:1", clearEvent.get("topic").asText(), "the clear goes where the violation went");
        assertEquals(101, clearEvent.get("payload").get("violation_id").asInt());
    }

    @Test
    void everyChangeIsAnAlarmUpdateCarryingTheAlarm() {
        hub.publish(violation("A-7", 2, "line:8", "WARNING"));
        assertEquals(202, hub.post("/api/v1/violations/A-7/ack", "{\"user\":\"op\"}").statusCode());
        hub.publish("{\"type\":\"violation_cleared\",\"characteristic_id\":2,\"payload\":{\"violation_id\":\"A-7\","
                            + "\"reason\":\"gone\"}}");
        await().atMost(WAIT).until(() -> updates("A-7").size() == 3);
        List<JsonNode> updates = updates("A-7");
        assertEquals(List.of("opened", "acknowledged", "cleared"),
                     updates.stream().map(u -> u.get("payload").get("change").asText()).toList());
        JsonNode last = updates.getLast();
        assertEquals("INFO", last.get("severity").asText(), "an update asks nobody to acknowledge it");
        assertEquals("characteristic:2", last.get("topic").asText());
        assertEquals("CLEARED", last.get("payload").get("state").asText());
        assertTrue(last.get("payload").get("acknowledged").asBoolean());
        assertEquals("gone", last.get("payload").get("clear_reason").asText());
    }

    private static List<JsonNode> updates(String violationId) {
        List<JsonNode> out = new ArrayList<>();
        json(hub.get("/api/v1/events?since=0&type=alarm_update&limit=1000").body()).get("events").forEach(e -> {
            if (e.get("payload").get("violation_id").asText().equals(violationId)) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void anUnknownAlarmIs404ForAckClearAndGet() {
        assertError(hub.post("/api/v1/violations/999999/ack", "{\"user\":\"op\"}"), 404, "unknown_alarm",
                    "violation_id");
        assertError(hub.post("/api/v1/violations/999999/clear", "{\"user\":\"op\"}"), 404, "unknown_alarm",
                    "violation_id");
        assertError(hub.get("/api/v1/alarms/999999"), 404, "unknown_alarm", "violation_id");
        assertError(hub.post("/api/v1/violations/a%20b/clear", "{\"user\":\"op\"}"), 400, "invalid_event",
                    "violation_id");
        hub.publish(violation(102, 1, "line:7", "CRITICAL"));
        assertError(hub.post("/api/v1/violations/102/clear", "{\"reason\":\"no user\"}"), 400, "invalid_event", "user");
        assertError(hub.post("/api/v1/violations/102/clear", "{\"user\":\"op\",\"why\":1}"), 400, "invalid_event",
                    "why");
        assertError(hub.post("/api/v1/violations/102/clear", "not json"), 400, "invalid_json", null);
    }

    @Test
    void alarmsAreFilteredByStateAcknowledgementCharacteristicTopicAndSeverity() {
        hub.publish(TestHub.batch(List.of(violation(201, 31, "line:31", "CRITICAL"),
                                          violation(202, 31, "line:31", "WARNING"),
                                          violation(203, 32, "line:32", "CRITICAL"))));
        assertEquals(202, hub.post("/api/v1/violations/202/ack", "{\"user\":\"op\"}").statusCode());
        assertEquals(202, hub.post("/api/v1/violations/203/clear", "{\"user\":\"op\"}").statusCode());

        assertEquals(List.of("202", "201"), ids(alarms("?characteristic_id=31")), "active by default, newest first");
        assertEquals(List.of("203"), ids(alarms("?state=cleared&topic=line:31,line:32")));
        assertEquals(List.of("203", "202", "201"), ids(alarms("?state=all&topic=line:31,line:32")));
        assertEquals(List.of("201"), ids(alarms("?characteristic_id=31&acknowledged=false")));
        assertEquals(List.of("202"), ids(alarms("?characteristic_id=31&acknowledged=true")));
        assertEquals(List.of("203", "201"), ids(alarms("?state=all&topic=line:31&topic=line:32&severity=CRITICAL")));
        assertEquals(List.of("203"), ids(alarms("?state=all&topic=line:31,line:32&limit=1")));
        assertError(hub.get("/api/v1/alarms?state=open"), 400, "invalid_request", "state");
        assertError(hub.get("/api/v1/alarms?acknowledged=yes"), 400, "invalid_request", "acknowledged");
        assertError(hub.get("/api/v1/alarms?severity=HIGH"), 400, "invalid_request", "severity");
        assertError(hub.get("/api/v1/alarms?topic=nocolon"), 400, "invalid_request", "topic");
        assertError(hub.get("/api/v1/alarms?limit=0"), 400, "invalid_request", "limit");
    }
}
