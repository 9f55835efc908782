package io.alerthub.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/** The HTTP API of PROTOCOL section 2, through a real server and a real client. */
class EventsApiTest {

    @TempDir
    static Path dir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dir, "history-size: 50\ndedup-window: PT10M", """
                plugins:
                  recorder: { enabled: true }
                """);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void publishesOneEventAndReadsItBack() {
        HttpResponse<String> r = hub.post("/api/v1/events", """
                {"type":"violation","characteristic_id":1,"topics":["line:7"],"severity":"CRITICAL",
                 "payload":{"violation_id":456,"rule_name":"One point beyond 3 sigma"}}""");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode body = json(r.body());
        assertEquals(1, body.get("accepted").asInt());
        assertEquals(0, body.get("duplicates").asInt());
        long seq = body.get("seq").get(0).asLong();

        JsonNode page = json(hub.get("/api/v1/events?since=" + (seq - 1) + "&limit=1").body());
        JsonNode e = page.get("events").get(0);
        assertEquals(seq, e.get("seq").asLong());
        assertEquals("violation", e.get("type").asText());
        assertEquals("characteristic:1", e.get("topics").get(0).asText());
        assertEquals("line:7", e.get("topics").get(1).asText());
        assertEquals(1, e.get("characteristic_id").asInt());
        assertEquals("CRITICAL", e.get("severity").asText());
        assertEquals(456, e.get("payload").get("violation_id").asInt());
        assertEquals(seq, page.get("last_seq").asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.recorded().stream().anyMatch(x -> x.seq() == seq));
    }

    @Test
    void batchGetsOneSeqPerEventInOrder() {
        List<Long> seqs = hub.publish("""
                {"events":[{"type":"sample","payload":{"n":1}},{"type":"sample","payload":{"n":2}},
                           {"type":"alert.created","payload":{"n":3}}]}""");
        assertEquals(3, seqs.size());
        assertEquals(seqs.get(0) + 1, seqs.get(1));
        assertEquals(seqs.get(1) + 1, seqs.get(2));
    }

    @Test
    void aBadEventRefusesTheWholeBatchAndNothingIsDispatched() {
        long head = hub.hub().log().headSeq();
        HttpResponse<String> r = hub.post("/api/v1/events", """
                {"events":[{"type":"sample","payload":{}},{"type":"sample","payload":{}},{"type":"sample","payload":{}},
                           {"type":"sample","severity":"LOUD","payload":{}}]}""");
        assertEquals(400, r.statusCode());
        JsonNode error = json(r.body()).get("error");
        assertEquals("invalid_event", error.get("code").asText());
        assertEquals("events[3].severity", error.get("field").asText());
        assertTrue(error.get("message").asText().contains("INFO, WARNING, CRITICAL"));
        assertEquals(head, hub.hub().log().headSeq(), "nothing of the batch was logged");
    }

    @Test
    void duplicateIdsAreAcknowledgedButNotDispatchedAgain() {
        String event = "{\"type\":\"violation\",\"id\":\"dup-1\",\"payload\":{}}";
        long first = hub.publish(event).getFirst();
        HttpResponse<String> again = hub.post("/api/v1/events",
                                              "{\"events\":[" + event + ",{\"type\":\"sample\",\"id\":\"dup-2\",\"payload\":{}},"
                                                      + "{\"type\":\"sample\",\"id\":\"dup-2\",\"payload\":{}}]}");
        assertEquals(202, again.statusCode());
        JsonNode body = json(again.body());
        assertEquals(1, body.get("accepted").asInt());
        assertEquals(2, body.get("duplicates").asInt());
        assertEquals(first, body.get("seq").get(0).asLong(), "a duplicate answers with the original seq");
        assertEquals(body.get("seq").get(1).asLong(), body.get("seq").get(2).asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.recorded().stream()
                .anyMatch(x -> x.seq() == body.get("seq").get(1).asLong()));
        assertEquals(1, hub.recorded().stream().filter(x -> x.id().orElse("").equals("dup-1")).count());
        assertEquals(1, hub.recorded().stream().filter(x -> x.id().orElse("").equals("dup-2")).count());
    }

    @Test
    void historyPagesWithSinceLimitTopicAndType() {
        List<Long> seqs = hub.publish("""
                {"events":[
                  {"type":"sample","characteristic_id":"page-1","payload":{}},
                  {"type":"violation","characteristic_id":"page-1","payload":{}},
                  {"type":"sample","characteristic_id":"page-2","payload":{}},
                  {"type":"alert.created","topics":["project:page"],"payload":{}},
                  {"type":"alert.closed.v2","topics":["project:page"],"payload":{}}]}""");
        long before = seqs.getFirst() - 1;

        JsonNode first = json(hub.get("/api/v1/events?since=" + before + "&limit=2").body());
        assertEquals(List.of(seqs.get(0), seqs.get(1)), seqsOf(first));
        assertEquals(seqs.get(1), first.get("last_seq").asLong());
        JsonNode second = json(hub.get("/api/v1/events?since=" + first.get("last_seq").asLong() + "&limit=2").body());
        assertEquals(List.of(seqs.get(2), seqs.get(3)), seqsOf(second));

        assertEquals(List.of(seqs.get(0), seqs.get(1)),
                     seqsOf(json(hub.get("/api/v1/events?since=" + before + "&topic=characteristic:page-1").body())));
        assertEquals(List.of(seqs.get(0), seqs.get(2)),
                     seqsOf(json(hub.get("/api/v1/events?since=" + before + "&type=sample").body())));
        assertEquals(List.of(seqs.get(3), seqs.get(4)),
                     seqsOf(json(hub.get("/api/v1/events?since=" + before + "&type=alert.*").body())));
        assertEquals(List.of(seqs.get(2)),
                     seqsOf(json(hub.get("/api/v1/events?since=" + seqs.get(1)
                                                 + "&topic=characteristic:*&type=sample&topic=project:x").body())));
        assertEquals(List.of(seqs.get(0), seqs.get(2), seqs.get(3)),
                     seqsOf(json(hub.get("/api/v1/events?since=" + before + "&type=sample,alert.created").body())));
        JsonNode none = json(hub.get("/api/v1/events?since=" + before + "&type=nothing.here").body());
        assertEquals(0, none.get("events").size());
        assertEquals(hub.hub().log().headSeq(), none.get("last_seq").asLong(), "an empty page still moves last_seq on");
    }

    @Test
    void historyReachesBackAtMostHistorySize() {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 60; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"sample\",\"payload\":{\"i\":").append(i).append("}}");
        }
        List<Long> seqs = hub.publish(batch.append("]}").toString());
        JsonNode page = json(hub.get("/api/v1/events?since=0&limit=1000").body());
        assertEquals(50, page.get("events").size());
        assertEquals(seqs.getLast(), page.get("events").get(49).get("seq").asLong());
    }

    @Test
    void badQueryParametersNameTheParameter() {
        assertError(hub.get("/api/v1/events?limit=0"), 400, "invalid_request", "limit");
        assertError(hub.get("/api/v1/events?limit=1001"), 400, "invalid_request", "limit");
        assertError(hub.get("/api/v1/events?since=-1"), 400, "invalid_request", "since");
        assertError(hub.get("/api/v1/events?since=abc"), 400, "invalid_request", "since");
        assertError(hub.get("/api/v1/events?topic=Line:7"), 400, "invalid_request", "topic");
        assertError(hub.get("/api/v1/events?type=al*"), 400, "invalid_request", "type");
    }

    @Test
    void acknowledgingAViolationEmitsAckUpdate() {
        hub.publish("{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{\"violation_id\":456}}");
        HttpResponse<String> r = hub.post("/api/v1/violations/456/ack",
                                          "{\"user\":\"operator1\",\"reason\":\"Process adjusted\",\"characteristic_id\":1}");
        assertEquals(202, r.statusCode(), r.body());
        long seq = json(r.body()).get("seq").get(0).asLong();
        JsonNode e = json(hub.get("/api/v1/events?since=" + (seq - 1) + "&limit=1").body()).get("events").get(0);
        assertEquals("ack_update", e.get("type").asText());
        assertEquals("characteristic:1", e.get("topic").asText());
        JsonNode p = e.get("payload");
        assertEquals(456, p.get("violation_id").asInt());
        assertTrue(p.get("violation_id").isNumber());
        assertEquals(1, p.get("characteristic_id").asInt());
        assertTrue(p.get("acknowledged").asBoolean());
        assertEquals("operator1", p.get("ack_user").asText());
        assertEquals("Process adjusted", p.get("ack_reason").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.recorded().stream().anyMatch(x -> x.seq() == seq));

        assertError(hub.post("/api/v1/violations/456/ack", "{\"reason\":\"x\"}"), 400, "invalid_event", "user");
        assertError(hub.post("/api/v1/violations/a%20b/ack", "{\"user\":\"u\"}"), 400, "invalid_event", "violation_id");
        assertError(hub.post("/api/v1/violations/9/ack", "{\"user\":\"u\",\"who\":1}"), 400, "invalid_event", "who");
        assertError(hub.post("/api/v1/violations/9/ack", "[1]"), 400, "invalid_event", null);
    }

    @Test
    void errorsAreJsonEverywhere() {
        assertError(hub.get("/nothing/here"), 404, "not_found", null);
        assertError(hub.get("/api/v1/nothing"), 404, "not_found", null);
        HttpResponse<String> put = TestHub.send(HttpRequest.newBuilder(hub.uri("/api/v1/events"))
                                                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(put, 405, "method_not_allowed", null);
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> form = TestHub.send(HttpRequest.newBuilder(hub.uri("/api/v1/events"))
                                                         .header("Content-Type", "application/x-www-form-urlencoded")
                                                         .POST(HttpRequest.BodyPublishers.ofString("a=b")).build());
        assertError(form, 415, "unsupported_media_type", null);
        assertError(hub.post("/api/v1/events", "{\"type\":"), 400, "invalid_json", null);
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() {
        String big = "{\"type\":\"sample\",\"payload\":{\"a\":\"" + "x".repeat(1_100_000) + "\"}}";
        HttpResponse<String> r = hub.post("/api/v1/events", big);
        assertEquals(413, r.statusCode());
        assertEquals("too_large", json(r.body()).get("error").get("code").asText());
    }

    @Test
    void a50MegabyteChunkedBodyIsRefusedWithoutBeingReadWhole() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", hub.hub().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write("21\r\n{\"type\":\"sample\",\"payload\":{\"a\":\"\r\n".getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            try {
                // Up to 50 MB; the hub answers and stops reading long before.
                while (sent < 50L << 20) {
                    out.write(chunk);
                    sent += 0x10000;
                    if (socket.getInputStream().available() > 0) {
                        break;
                    }
                }
            } catch (IOException closedByHub) {
                // the hub closed the connection after refusing: expected
            }
            String response = readHead(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(sent < 50L << 20, "the hub read the whole 50 MB");
        }
    }

    @Test
    void pluginsListsEveryPluginWithItsCounters() {
        JsonNode plugins = json(hub.get("/api/v1/plugins").body()).get("plugins");
        List<String> names = new ArrayList<>();
        plugins.forEach(p -> names.add(p.get("name").asText()));
        assertTrue(names.containsAll(List.of("recorder", "faulty")), names.toString());
        JsonNode recorder = find(plugins, "recorder");
        assertTrue(recorder.get("enabled").asBoolean());
        assertEquals("UP", recorder.get("state").asText());
        assertEquals("CLOSED", recorder.get("circuit").asText());
        for (String field : List.of("cursor", "lag", "delivered", "failed", "retried", "skipped_by_retention")) {
            assertTrue(recorder.get(field).isNumber(), field);
        }
        JsonNode faulty = find(plugins, "faulty");
        assertFalse(faulty.get("enabled").asBoolean());
    }

    @Test
    void healthHasOneCheckPerPluginAndMetricsArePrometheusText() {
        JsonNode health = json(hub.get("/observe/health").body());
        assertEquals("UP", health.get("status").asText());
        List<String> checks = new ArrayList<>();
        health.get("checks").forEach(c -> checks.add(c.get("name").asText()));
        assertTrue(checks.contains("plugin-recorder"), checks.toString());
        hub.publish("{\"type\":\"sample\",\"payload\":{}}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = hub.get("/observe/metrics").body();
            for (String meter : List.of("alerthub_events_accepted_total", "alerthub_events_refused_total",
                                        "alerthub_events_deduplicated_total", "alerthub_plugin_delivered_total",
                                        "alerthub_plugin_failed_total", "alerthub_plugin_retried_total",
                                        "alerthub_plugin_lag", "alerthub_dispatch_latency_seconds_bucket")) {
                assertTrue(metrics.contains(meter), meter + " missing");
            }
            assertTrue(metrics.contains("plugin=\"recorder\""), "per-plugin tag");
        });
    }

    private static JsonNode find(JsonNode plugins, String name) {
        for (JsonNode p : plugins) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no plugin " + name);
    }

    private static String readHead(InputStream in) throws IOException {
        byte[] buf = in.readNBytes(12);
        return new String(buf, StandardCharsets.US_ASCII);
    }

    private static List<Long> seqsOf(JsonNode page) {
        assertTrue(page.has("events"), page.toString());
        List<Long> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("seq").asLong()));
        return out;
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode error = json(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        if (field != null) {
            assertEquals(field, error.get("field").asText(), r.body());
        }
    }
}
