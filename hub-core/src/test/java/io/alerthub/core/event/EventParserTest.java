package io.alerthub.core.event;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.alerthub.core.event.InvalidEventException.Kind.INVALID_EVENT;
import static io.alerthub.core.event.InvalidEventException.Kind.INVALID_JSON;
import static io.alerthub.core.event.InvalidEventException.Kind.TOO_LARGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule of PROTOCOL section 1, a row each: the body, the kind of refusal, the field it names. */
class EventParserTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final EventParser parser = new EventParser(new EventLimits(65_536, 32, 1000, 1 << 20),
                                                       Clock.fixed(NOW, ZoneOffset.UTC));

    static Stream<Arguments> refused() {
        String ok = "\"type\":\"sample\",\"payload\":{}";
        return Stream.of(
                // body shape
                Arguments.of("", INVALID_JSON, null, "empty"),
                Arguments.of("[1,2]", INVALID_EVENT, null, "JSON object"),
                Arguments.of("{\"type\":\"sample\",", INVALID_JSON, null, "malformed JSON"),
                Arguments.of("{" + ok + "} trailing", INVALID_JSON, null, "malformed JSON"),
                // type
                Arguments.of("{\"payload\":{}}", INVALID_EVENT, "type", "type is required"),
                Arguments.of("{\"type\":\"Sample\",\"payload\":{}}", INVALID_EVENT, "type", "type must match"),
                Arguments.of("{\"type\":\"alert..created\",\"payload\":{}}", INVALID_EVENT, "type", "type must match"),
                Arguments.of("{\"type\":\"alert.\",\"payload\":{}}", INVALID_EVENT, "type", "type must match"),
                Arguments.of("{\"type\":\"" + "a".repeat(65) + "\",\"payload\":{}}", INVALID_EVENT, "type", "at most 64"),
                Arguments.of("{\"type\":7,\"payload\":{}}", INVALID_EVENT, "type", "type must match"),
                // characteristic_id
                Arguments.of("{" + ok + ",\"characteristic_id\":1.5}", INVALID_EVENT, "characteristic_id", "integer or a string"),
                Arguments.of("{" + ok + ",\"characteristic_id\":\"a b\"}", INVALID_EVENT, "characteristic_id", "integer or a string"),
                Arguments.of("{" + ok + ",\"characteristic_id\":\"" + "x".repeat(65) + "\"}", INVALID_EVENT, "characteristic_id", "1 to 64"),
                Arguments.of("{" + ok + ",\"characteristic_id\":123456789012345678901234567890}", INVALID_EVENT, "characteristic_id", "too large"),
                Arguments.of("{" + ok + ",\"characteristic_id\":true}", INVALID_EVENT, "characteristic_id", "integer or a string"),
                // topics
                Arguments.of("{" + ok + ",\"topics\":\"line:7\"}", INVALID_EVENT, "topics", "array"),
                Arguments.of("{" + ok + ",\"topics\":[\"line7\"]}", INVALID_EVENT, "topics[0]", "name:value"),
                Arguments.of("{" + ok + ",\"topics\":[\"line:7\",\"Line:8\"]}", INVALID_EVENT, "topics[1]", "name:value"),
                Arguments.of("{" + ok + ",\"topics\":[\"line:a/b\"]}", INVALID_EVENT, "topics[0]", "name:value"),
                Arguments.of("{" + ok + ",\"topics\":[\"line:" + "v".repeat(65) + "\"]}", INVALID_EVENT, "topics[0]", "name:value"),
                Arguments.of("{" + ok + ",\"topics\":[" + topics(17) + "]}", INVALID_EVENT, "topics", "at most 16"),
                Arguments.of("{" + ok + ",\"topics\":[3]}", INVALID_EVENT, "topics[0]", "name:value"),
                // severity
                Arguments.of("{" + ok + ",\"severity\":\"critical\"}", INVALID_EVENT, "severity", "INFO, WARNING, CRITICAL"),
                Arguments.of("{" + ok + ",\"severity\":\"FATAL\"}", INVALID_EVENT, "severity", "INFO, WARNING, CRITICAL"),
                // id
                Arguments.of("{" + ok + ",\"id\":\"\"}", INVALID_EVENT, "id", "1 to 128"),
                Arguments.of("{" + ok + ",\"id\":\"" + "i".repeat(129) + "\"}", INVALID_EVENT, "id", "1 to 128"),
                Arguments.of("{" + ok + ",\"id\":\"a\\nb\"}", INVALID_EVENT, "id", "printable"),
                Arguments.of("{" + ok + ",\"id\":42}", INVALID_EVENT, "id", "printable"),
                // timestamp
                Arguments.of("{" + ok + ",\"timestamp\":\"yesterday\"}", INVALID_EVENT, "timestamp", "ISO-8601"),
                Arguments.of("{" + ok + ",\"timestamp\":\"2026-02-02T12:00:00\"}", INVALID_EVENT, "timestamp", "ISO-8601"),
                Arguments.of("{" + ok + ",\"timestamp\":1700000000}", INVALID_EVENT, "timestamp", "ISO-8601"),
                // payload
                Arguments.of("{\"type\":\"sample\"}", INVALID_EVENT, "payload", "payload is required"),
                Arguments.of("{\"type\":\"sample\",\"payload\":[1]}", INVALID_EVENT, "payload", "JSON object"),
                Arguments.of("{\"type\":\"sample\",\"payload\":\"x\"}", INVALID_EVENT, "payload", "JSON object"),
                Arguments.of("{\"type\":\"sample\",\"payload\":{\"a\":\"" + "x".repeat(65_536) + "\"}}", TOO_LARGE, "payload", "at most 65536 bytes"),
                Arguments.of("{\"type\":\"sample\",\"payload\":" + nested(33) + "}", INVALID_EVENT, "payload", "at most 32 levels"),
                // unknown and repeated fields
                Arguments.of("{" + ok + ",\"characteristicId\":1}", INVALID_EVENT, "characteristicId", "unknown field"),
                Arguments.of("{" + ok + ",\"seq\":5}", INVALID_EVENT, "seq", "unknown field"),
                Arguments.of("{" + ok + ",\"type\":\"sample\"}", INVALID_EVENT, "type", "appears twice"),
                // found from outside: duplicate keys inside a payload, numbers beyond a double, years beyond four digits
                Arguments.of("{\"type\":\"sample\",\"payload\":{\"a\":1,\"a\":2}}", INVALID_EVENT, "payload",
                             "key \"a\" twice"),
                Arguments.of("{\"type\":\"sample\",\"payload\":{\"x\":[{\"b\":1,\"c\":{},\"b\":1}]}}", INVALID_EVENT,
                             "payload", "key \"b\" twice"),
                Arguments.of("{\"events\":[{" + ok + "},{\"type\":\"sample\",\"payload\":{\"n\":1e400}}]}", INVALID_EVENT,
                             "events[1].payload", "beyond the range of a double: 1e400"),
                Arguments.of("{\"type\":\"sample\",\"payload\":{\"n\":-1e400}}", INVALID_EVENT, "payload", "range"),
                Arguments.of("{\"type\":\"sample\",\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"payload\":{}}",
                             INVALID_EVENT, "timestamp", "year"),
                // batches
                Arguments.of("{\"events\":[]}", INVALID_EVENT, "events", "at least one"),
                Arguments.of("{\"events\":{}}", INVALID_EVENT, "events", "array"),
                Arguments.of("{\"events\":[{" + ok + "},7]}", INVALID_EVENT, "events[1]", "event object"),
                Arguments.of("{\"events\":[{" + ok + "}],\"extra\":1}", INVALID_EVENT, "extra", "unknown field"),
                Arguments.of("{\"events\":[{" + ok + "},{" + ok + "},{" + ok + "},{\"type\":\"sample\",\"severity\":\"LOUD\",\"payload\":{}}]}",
                             INVALID_EVENT, "events[3].severity", "INFO, WARNING, CRITICAL"),
                Arguments.of("{\"events\":[" + ("{" + ok + "},").repeat(1000) + "{" + ok + "}]}", TOO_LARGE, "events", "at most 1000"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("refused")
    void refusesNamingTheField(String body, InvalidEventException.Kind kind, String field, String message) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> parse(body));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "message '" + e.getMessage() + "' lacks '" + message + "'");
    }

    @Test
    void acceptsAFullEvent() {
        List<EventDraft> drafts = parse("""
                {"type":"violation","characteristic_id":1,"topics":["line:7","project:456"],"severity":"CRITICAL",
                 "id":"spc-engine-violation-456","timestamp":"2026-02-02T13:00:00+01:00",
                 "payload":{"violation_id":456,"value":10.50,"big":12345678901234567890,"nested":{"a":[1,{"b":null}]},"ok":true}}
                """);
        Event e = drafts.getFirst().withSeq(9);
        assertEquals("violation", e.type());
        assertEquals(List.of("characteristic:1", "line:7", "project:456"), e.topics());
        assertEquals(Severity.CRITICAL, e.severity());
        assertEquals("spc-engine-violation-456", e.id().orElseThrow());
        assertEquals(Instant.parse("2026-02-02T12:00:00Z"), e.timestamp());
        assertEquals(NOW, e.receivedAt());
        assertTrue(e.characteristicNumeric());
        // numbers keep their exact text: 10.50 stays 10.50, big integers are not rounded
        assertTrue(e.jsonString().contains("\"value\":10.50"), e.jsonString());
        assertTrue(e.jsonString().contains("12345678901234567890"), e.jsonString());
        assertTrue(e.jsonString().contains("\"requires_ack\":true"), e.jsonString());
        assertEquals(456, e.payload().get("violation_id").asInt());
        Event back = WireForm.read(e.json(), e.receivedAt());
        assertEquals(e.topics(), back.topics());
        assertEquals(9, back.seq());
    }

    @Test
    void defaultsAndStringCharacteristics() {
        Event e = parse("{\"type\":\"alert.created\",\"characteristic_id\":\"A-7\",\"payload\":{}}").getFirst().withSeq(1);
        assertEquals(Severity.INFO, e.severity());
        assertEquals(NOW, e.timestamp());
        assertEquals("characteristic:A-7", e.topic());
        assertFalse(e.characteristicNumeric());
        assertFalse(e.jsonString().contains("requires_ack"));
        assertTrue(e.id().isEmpty());
    }

    @Test
    void payloadDepthOf32IsAccepted() {
        assertEquals(1, parse("{\"type\":\"sample\",\"payload\":" + nested(32) + "}").size());
    }

    @Test
    void batchOf1000IsAccepted() {
        String ok = "{\"type\":\"sample\",\"payload\":{}}";
        assertEquals(1000, parse("{\"events\":[" + (ok + ",").repeat(999) + ok + "]}").size());
    }

    @Test
    void tenThousandDeepNestingIsRefusedEarly() {
        String deep = "{\"type\":\"sample\",\"payload\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> parse(deep));
        assertEquals("payload", e.field());
    }

    @Test
    void anEndlessBodyIsCutAtTheLimitWithoutReadingItAll() {
        // 50 MB that is never fully produced: the parser must stop reading just past 1 MiB.
        long[] served = new long[1];
        InputStream endless = new InputStream() {
            private final byte[] head = "{\"type\":\"sample\",\"payload\":{\"a\":\"".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                long at = served[0]++;
                if (at >= 50L << 20) {
                    return -1;
                }
                return at < head.length ? head[(int) at] : 'x';
            }
        };
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> parser.parse(endless));
        assertEquals(TOO_LARGE, e.kind());
        assertTrue(served[0] < (2 << 20), "read " + served[0] + " bytes");
    }

    /** An overlong form ({@code C0 AF} for '/') or a lone continuation byte is not UTF-8: refused, never normalised. */
    @Test
    void bytesThatAreNotUtf8AreRefused() {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0x80},
                                  new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82})) {
            byte[] head = "{\"type\":\"sample\",\"payload\":{\"p\":\"".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(bad, 0, body, head.length, bad.length);
            System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
            InvalidEventException e = assertThrows(InvalidEventException.class,
                                                   () -> parser.parse(new ByteArrayInputStream(body)));
            assertEquals(INVALID_JSON, e.kind());
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
        assertEquals("€/", parse("{\"type\":\"sample\",\"payload\":{\"p\":\"€/\"}}").getFirst().withSeq(1).payload()
                .get("p").asText());
    }

    private List<EventDraft> parse(String body) {
        return parser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String topics(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"t:").append(i).append('"');
        }
        return b.toString();
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }
}
