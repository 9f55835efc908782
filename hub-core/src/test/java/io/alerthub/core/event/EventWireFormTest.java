package io.alerthub.core.event;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The wire form is written by hand for speed; it must stay byte for byte what Jackson's generator writes (the log,
 * the history API and every channel carry these bytes). The expected form is built here with a generator.
 */
class EventWireFormTest {

    private static final Instant TS = Instant.parse("2026-02-02T12:00:00.123456789Z");

    static Stream<EventDraft.Builder> events() {
        return Stream.of(
                EventDraft.builder("sample").payloadJson("{}"),
                EventDraft.builder("sample").characteristicId(7).payloadJson("{\"v\":10.5,\"n\":[1,2e3]}"),
                EventDraft.builder("violation").characteristicId("A-7").topic("line:7").topic("project:45.6")
                        .severity(Severity.CRITICAL).id("spc-456").timestamp(TS)
                        .payloadJson("{\"rule\":\"One point beyond 3 sigma\",\"x\":null}"),
                EventDraft.builder("alert.created").topics(List.of("a:b", "c_d:E-f.g")).severity(Severity.WARNING)
                        .id("quote \" backslash \\ slash / tab \t newline \n cr \r bell \u0007 del \u007f")
                        .payloadJson("{}"),
                EventDraft.builder("ack_update").characteristicId("9", true).id("unicode é ü 日本 😀 \u2028")
                        .payloadJson("{\"who\":\"Zoë 😀\",\"deep\":{\"a\":[{\"b\":\"\\u0000\"}]}}"),
                EventDraft.builder("sample").characteristicId(Long.MAX_VALUE).timestamp(Instant.EPOCH)
                        .severity(Severity.INFO).payloadJson("{\"control\":\"\\u001f\"}"));
    }

    @ParameterizedTest
    @MethodSource("events")
    void theWireFormIsWhatJacksonWrites(EventDraft.Builder builder) throws IOException {
        Event e = builder.receivedAt(TS).draft().withSeq(42);
        assertEquals(expected(e, payloadOf(builder)), new String(e.json(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("events")
    void withoutItsSeqAndBackIsTheSameEvent(EventDraft.Builder builder) {
        EventDraft draft = builder.receivedAt(TS).draft();
        byte[] stored = draft.jsonWithoutSeq(); // what cluster mode keeps in its stream
        assertFalse(new String(stored, StandardCharsets.UTF_8).contains("\"seq\""));
        Event back = WireForm.read(WireForm.withSeq(stored, 9_007_199_254_740_993L), TS);
        Event numbered = draft.withSeq(9_007_199_254_740_993L);
        assertArrayEquals(numbered.json(), back.json());
        assertEquals(numbered.fields(), back.fields());
    }

    /** The payload the builder holds, read back from its own output (it is written raw). */
    private static String payloadOf(EventDraft.Builder builder) {
        String json = builder.draft().withSeq(1).jsonString();
        int at = json.indexOf(",\"payload\":") + ",\"payload\":".length();
        String rest = json.substring(at);
        return rest.endsWith(",\"requires_ack\":true}") ? rest.substring(0, rest.length() - 21)
                : rest.substring(0, rest.length() - 1);
    }

    private static String expected(Event e, String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", e.type());
            g.writeNumberField("seq", e.seq());
            if (e.topic() != null) {
                g.writeStringField("topic", e.topic());
            }
            g.writeArrayFieldStart("topics");
            for (String t : e.topics()) {
                g.writeString(t);
            }
            g.writeEndArray();
            if (e.characteristicId().isPresent()) {
                g.writeFieldName("characteristic_id");
                if (e.characteristicNumeric()) {
                    g.writeNumber(e.characteristicId().get());
                } else {
                    g.writeString(e.characteristicId().get());
                }
            }
            g.writeStringField("severity", e.severity().name());
            g.writeStringField("timestamp", e.timestamp().toString());
            if (e.id().isPresent()) {
                g.writeStringField("id", e.id().get());
            }
            g.writeFieldName("payload");
            g.writeRawValue(payload);
            if (e.requiresAck()) {
                g.writeBooleanField("requires_ack", true);
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
