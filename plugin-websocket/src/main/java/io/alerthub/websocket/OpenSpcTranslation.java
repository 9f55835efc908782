package io.alerthub.websocket;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.alerthub.spi.Event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * AlertHub's events in OpenSPC's dialect ({@code /ws/samples}, PROTOCOL section 3b): for each event, the message
 * OpenSPC's own backend sends for it ({@code backend/src/openspc/core/broadcast.py} of djbrandl/OpenSPC), whichever
 * of the payload shapes of docs/dashboard.md the producer posted. OpenSPC's React client reads those messages
 * without a check ({@code frontend/src/providers/WebSocketProvider.tsx}): a missing {@code sample.mean},
 * {@code violations} or {@code violation} leaves it with wrong state or a thrown TypeError.
 * <ul>
 * <li>{@code sample}: {@code {"type":"sample","characteristic_id":..,"sample":{"id","characteristic_id","timestamp",
 * "mean",..},"violations":[{"id",..}]}}, from the nested payload {@code {"sample":{..},"violations":[..]}} or a
 * flat one (the payload is the sample). {@code mean} from {@code value}, {@code id} from {@code sample_id},
 * {@code timestamp} and {@code characteristic_id} from the event when absent; {@code violations} empty when none,
 * each with {@code id} from {@code violation_id}.</li>
 * <li>{@code violation}: {@code {"type":"violation","characteristic_id":..,"violation":{"id","sample_id",
 * "characteristic_id","rule_id","rule_name","severity","timestamp",..}}}, from the flat payload (the payload is
 * the violation) or a nested {@code {"violation":{..}}}.</li>
 * <li>{@code control_limits} as {@code limits_update}, {@code ack_update} and any other type: the payload's fields
 * beside {@code type} and {@code characteristic_id}.</li>
 * </ul>
 * Nothing a producer wrote is dropped: OpenSPC's fields come first, the producer's others follow as written, and
 * the other top-level fields of a nested payload ({@code characteristic_name}, {@code unit}) stay at the top level.
 * docs/websocket.md has the table. The message is built once per event and shared by every OpenSPC connection.
 */
final class OpenSpcTranslation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> NONE = Set.of();
    private static final Set<String> FLAT_SAMPLE_SKIPS = Set.of("violations");
    private static final Set<String> TOP_LEVEL = Set.of("type", "characteristic_id");
    private static final Set<String> NESTED_SAMPLE_TOP_LEVEL =
            Set.of("type", "characteristic_id", "sample", "violations");
    private static final Set<String> NESTED_VIOLATION_TOP_LEVEL = Set.of("type", "characteristic_id", "violation");

    private OpenSpcTranslation() {
    }

    /** The message as a text frame. */
    static byte[] frame(Event event) {
        return WsFrames.text(json(event));
    }

    /** The message, UTF-8 JSON. */
    static byte[] json(Event event) {
        return Messages.json(g -> write(g, event));
    }

    private static void write(JsonGenerator g, Event event) throws IOException {
        JsonNode payload = event.payload();
        JsonNode characteristicId = characteristicId(event, payload);
        switch (event.type()) {
            case "sample" -> sample(g, event, payload, characteristicId);
            case "violation" -> violation(g, event, payload, characteristicId);
            case "control_limits" -> flat(g, "limits_update", payload, characteristicId);
            default -> flat(g, event.type(), payload, characteristicId);
        }
    }

    private static void sample(JsonGenerator g, Event event, JsonNode payload, JsonNode characteristicId)
            throws IOException {
        JsonNode nested = payload.get("sample");
        boolean isNested = nested != null && nested.isObject();
        JsonNode sample = isNested ? nested : payload;
        JsonNode sampleId = present(sample, "id", "sample_id");
        head(g, "sample", characteristicId);

        Map<String, JsonNode> leading = new LinkedHashMap<>();
        leading.put("id", sampleId);
        leading.put("characteristic_id", or(present(sample, "characteristic_id"), characteristicId));
        leading.put("timestamp", or(present(sample, "timestamp"), timestamp(event)));
        // OpenSPC's client stores sample.mean as the latest value; null when the producer gave no value at all.
        leading.put("mean", or(present(sample, "mean", "value"), NullNode.instance));
        g.writeFieldName("sample");
        object(g, sample, leading, isNested ? NONE : FLAT_SAMPLE_SKIPS);

        // The client calls violations.forEach: always an array.
        g.writeArrayFieldStart("violations");
        JsonNode violations = payload.get("violations");
        if (violations != null && violations.isArray()) {
            for (JsonNode v : violations) {
                if (v.isObject()) {
                    violationObject(g, v, characteristicId, sampleId, null, null);
                } else {
                    Messages.MAPPER.writeTree(g, v);
                }
            }
        }
        g.writeEndArray();
        if (isNested) {
            rest(g, payload, NESTED_SAMPLE_TOP_LEVEL);
        }
    }

    private static void violation(JsonGenerator g, Event event, JsonNode payload, JsonNode characteristicId)
            throws IOException {
        JsonNode nested = payload.get("violation");
        boolean isNested = nested != null && nested.isObject();
        head(g, "violation", characteristicId);
        g.writeFieldName("violation");
        violationObject(g, isNested ? nested : payload, characteristicId, null, NODES.textNode(event.severity().name()),
                        timestamp(event));
        if (isNested) {
            rest(g, payload, NESTED_VIOLATION_TOP_LEVEL);
        }
    }

    /** OpenSPC's {@code Violation}, its fields in the order broadcast.py writes them; a default may be null. */
    private static void violationObject(JsonGenerator g, JsonNode v, JsonNode characteristicId, JsonNode sampleId,
                                        JsonNode severity, JsonNode timestamp) throws IOException {
        Map<String, JsonNode> leading = new LinkedHashMap<>();
        leading.put("id", present(v, "id", "violation_id"));
        leading.put("sample_id", or(present(v, "sample_id"), sampleId));
        leading.put("characteristic_id", or(present(v, "characteristic_id"), characteristicId));
        leading.put("rule_id", present(v, "rule_id"));
        leading.put("rule_name", present(v, "rule_name"));
        leading.put("severity", or(present(v, "severity"), severity));
        leading.put("timestamp", or(present(v, "timestamp"), timestamp));
        object(g, v, leading, NONE);
    }

    /** As before this translation existed: the payload's fields beside {@code type} and {@code characteristic_id}. */
    private static void flat(JsonGenerator g, String type, JsonNode payload, JsonNode characteristicId)
            throws IOException {
        head(g, type, characteristicId);
        rest(g, payload, TOP_LEVEL);
    }

    private static void head(JsonGenerator g, String type, JsonNode characteristicId) throws IOException {
        g.writeStringField("type", type);
        if (characteristicId != null) {
            g.writeFieldName("characteristic_id");
            Messages.MAPPER.writeTree(g, characteristicId);
        }
    }

    /**
     * One object: the {@code leading} fields that have a value (null = left out), then the source's other fields
     * except {@code skip}.
     */
    private static void object(JsonGenerator g, JsonNode source, Map<String, JsonNode> leading, Set<String> skip)
            throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : leading.entrySet()) {
            if (field.getValue() != null) {
                g.writeFieldName(field.getKey());
                Messages.MAPPER.writeTree(g, field.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> field : source.properties()) {
            if (!leading.containsKey(field.getKey()) && !skip.contains(field.getKey())) {
                g.writeFieldName(field.getKey());
                Messages.MAPPER.writeTree(g, field.getValue());
            }
        }
        g.writeEndObject();
    }

    /** The source's fields except {@code skip}, into the object being written. */
    private static void rest(JsonGenerator g, JsonNode source, Set<String> skip) throws IOException {
        for (Map.Entry<String, JsonNode> field : source.properties()) {
            if (!skip.contains(field.getKey())) {
                g.writeFieldName(field.getKey());
                Messages.MAPPER.writeTree(g, field.getValue());
            }
        }
    }

    /** The event's characteristic id as it was posted (a number or a string), else the payload's, else null. */
    private static JsonNode characteristicId(Event event, JsonNode payload) {
        if (event.characteristicId().isPresent()) {
            String id = event.characteristicId().get();
            return event.characteristicNumeric() ? NODES.numberNode(Long.parseLong(id)) : NODES.textNode(id);
        }
        return present(payload, "characteristic_id");
    }

    private static JsonNode timestamp(Event event) {
        return NODES.textNode(event.timestamp().toString());
    }

    /** The first of the named fields that is there and not JSON null, or null. */
    private static JsonNode present(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static JsonNode or(JsonNode value, JsonNode fallback) {
        return value != null ? value : fallback;
    }
}
