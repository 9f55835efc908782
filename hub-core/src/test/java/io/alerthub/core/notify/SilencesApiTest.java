package io.alerthub.core.notify;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.alerthub.core.testing.TestHub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.alerthub.core.testing.TestHub.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/silences}: one row per broken rule and the field it names; silences stamp events and survive a restart. */
class SilencesApiTest {

    @TempDir
    static Path shared;
    static TestHub sharedHub;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sharedHub = TestHub.start(shared, "");
    }

    @AfterAll
    static void stop() {
        sharedHub.close();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{"duration":"PT1H","created_by":"x"}`                                     | matchers
            `{"matchers":{},"duration":"PT1H","created_by":"x"}`                       | matchers
            `{"matchers":{"kind":"x"},"duration":"PT1H","created_by":"x"}`             | matchers.kind
            `{"matchers":{"type":"Bad Type"},"duration":"PT1H","created_by":"x"}`      | matchers.type
            `{"matchers":{"topic":"nocolon"},"duration":"PT1H","created_by":"x"}`      | matchers.topic
            `{"matchers":{"characteristic_id":"a b"},"duration":"PT1H","created_by":"x"}` | matchers.characteristic_id
            `{"matchers":{"min_severity":"HIGH"},"duration":"PT1H","created_by":"x"}`  | matchers.min_severity
            `{"matchers":{"rule_id":[]},"duration":"PT1H","created_by":"x"}`           | matchers.rule_id
            `{"matchers":{"type":"violation"},"created_by":"x"}`                       | ends_at
            `{"matchers":{"type":"violation"},"starts_at":"2030-01-02T00:00:00Z","ends_at":"2030-01-01T00:00:00Z","created_by":"x"}` | ends_at
            `{"matchers":{"type":"violation"},"ends_at":"2020-01-01T00:00:00Z","created_by":"x"}` | ends_at
            `{"matchers":{"type":"violation"},"ends_at":"tomorrow","created_by":"x"}`  | ends_at
            `{"matchers":{"type":"violation"},"starts_at":12,"duration":"PT1H","created_by":"x"}` | starts_at
            `{"matchers":{"type":"violation"},"duration":"an hour","created_by":"x"}`  | duration
            `{"matchers":{"type":"violation"},"duration":"PT1H"}`                      | created_by
            `{"matchers":{"type":"violation"},"duration":"PT1H","created_by":"x","who":1}` | who
            `{"matchers":{"type":"violation"},"schedule":{"from":"22:00","to":"06:00","zone":"Mars/Olympus"},"created_by":"x"}` | schedule.zone
            `{"matchers":{"type":"violation"},"schedule":{"from":"22:00","to":"06:00"},"created_by":"x"}` | schedule.zone
            `{"matchers":{"type":"violation"},"schedule":{"from":"25:00","to":"06:00","zone":"UTC"},"created_by":"x"}` | schedule.from
            `{"matchers":{"type":"violation"},"schedule":{"from":"06:00","to":"06:00","zone":"UTC"},"created_by":"x"}` | schedule.to
            `{"matchers":{"type":"violation"},"schedule":{"days":["MONDAYS"],"from":"22:00","to":"06:00","zone":"UTC"},"created_by":"x"}` | schedule.days
            """)
    void aBadSilenceIs400NamingTheField(String body, String field) {
        HttpResponse<String> r = sharedHub.post("/api/v1/silences", body);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = json(r.body()).get("error");
        assertEquals("invalid_silence", e.get("code").asText(), r.body());
        assertEquals(field, e.get("field").asText(), r.body());
    }

    @Test
    void aSilenceStampsTheEventsItMatchesIsListedExpiresAndSurvivesARestart() {
        String id;
        try (TestHub hub = TestHub.start(dir, "")) {
            HttpResponse<String> created = hub.post("/api/v1/silences", """
                    {"matchers":{"type":"violation","characteristic_id":3,"min_severity":"WARNING","rule_id":2},
                     "duration":"PT2H","created_by":"maintenance","comment":"Press 3 calibration"}""");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode s = json(created.body());
            id = s.get("id").asText();
            assertEquals("/api/v1/silences/" + id, created.headers().firstValue("Location").orElse(""));
            assertEquals("active", s.get("state").asText());
            assertTrue(s.get("active").asBoolean());
            assertEquals("3", s.get("matchers").get("characteristic_id").asText());

            List<Long> seqs = hub.publish(TestHub.batch(List.of(
                    "{\"type\":\"violation\",\"characteristic_id\":3,\"severity\":\"CRITICAL\",\"payload\":{\"rule_id\":2}}",
                    "{\"type\":\"violation\",\"characteristic_id\":3,\"severity\":\"CRITICAL\",\"payload\":{\"rule_id\":1}}",
                    "{\"type\":\"violation\",\"characteristic_id\":3,\"severity\":\"INFO\",\"payload\":{\"rule_id\":2}}",
                    "{\"type\":\"sample\",\"characteristic_id\":3,\"severity\":\"CRITICAL\",\"payload\":{\"rule_id\":2}}")));
            JsonNode events = json(hub.get("/api/v1/events?since=" + (seqs.getFirst() - 1)).body()).get("events");
            assertTrue(events.get(0).get("silenced").asBoolean());
            assertEquals(id, events.get(0).get("silenced_by").get(0).asText());
            for (int i = 1; i < 4; i++) {
                assertFalse(events.get(i).has("silenced"), "every matcher must match: " + events.get(i));
            }
        }
        try (TestHub hub = TestHub.start(dir, "")) {
            JsonNode list = json(hub.get("/api/v1/silences").body()).get("silences");
            assertEquals(1, list.size(), "kept in the data dir");
            assertEquals("Press 3 calibration", list.get(0).get("comment").asText());
            assertEquals(200, hub.get("/api/v1/silences/" + id).statusCode());
            HttpResponse<String> expired = hub.send("DELETE", "/api/v1/silences/" + id, null, null);
            assertEquals("expired", json(expired.body()).get("state").asText());
            assertTrue(Instant.parse(json(expired.body()).get("expired_at").asText()).isBefore(Instant.now().plusSeconds(1)));
            assertEquals(404, hub.send("DELETE", "/api/v1/silences/s-nope", null, null).statusCode());
            long seq = hub.publish("{\"type\":\"violation\",\"characteristic_id\":3,\"severity\":\"CRITICAL\","
                                           + "\"payload\":{\"rule_id\":2}}").getFirst();
            JsonNode e = json(hub.get("/api/v1/events?since=" + (seq - 1)).body()).get("events").get(0);
            assertFalse(e.has("silenced"), "an expired silence stamps nothing");
        }
    }

    @Test
    void aRecurringWindowIsListedWithItsNextStart() {
        {
            HttpResponse<String> r = sharedHub.post("/api/v1/silences", """
                    {"matchers":{"topic":"line:7"},"schedule":{"days":["SAT","SUN"],"from":"22:00","to":"06:00",
                     "zone":"Europe/Berlin"},"created_by":"planner"}""");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode s = json(r.body());
            assertTrue(s.get("ends_at").isNull(), "a schedule may go on for ever");
            assertEquals(List.of("SAT", "SUN"), List.of(s.get("schedule").get("days").get(0).asText(),
                                                       s.get("schedule").get("days").get(1).asText()));
            assertTrue(s.has("next_start") || s.get("active").asBoolean(), s.toString());
        }
    }
}
