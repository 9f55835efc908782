package io.alerthub.email;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

/**
 * What a mail says about one event: the fields a quality engineer looks for, taken from the event and its
 * payload when the producer gave them, and the rest of the payload as plain key/value details.
 *
 * <p>Payload keys read ({@code null} when absent): {@code characteristic_name} (or a textual {@code characteristic}),
 * {@code violation_id}, {@code rule_name}, {@code rule_id}, {@code sample_id}, {@code value} (or {@code mean}),
 * {@code lcl}, {@code center_line} (or {@code cl}), {@code ucl}, {@code lsl}, {@code usl}, {@code unit}.
 *
 * @param seq              the hub's sequence number
 * @param type             the event type
 * @param severity         the severity
 * @param timestamp        when it happened
 * @param characteristicId the characteristic, or {@code null}
 * @param characteristicName its name from the payload, or {@code null}
 * @param violationId      the violation (what an acknowledgement names), or {@code null}
 * @param ruleName         the rule that fired, or {@code null}
 * @param ruleId           its id, or {@code null}
 * @param sampleId         the sample, or {@code null}
 * @param value            the measured value, or {@code null}
 * @param lcl              lower control limit, or {@code null}
 * @param centerLine       center line, or {@code null}
 * @param ucl              upper control limit, or {@code null}
 * @param lsl              lower specification limit, or {@code null}
 * @param usl              upper specification limit, or {@code null}
 * @param unit             the value's unit, or {@code null}
 * @param topics           all of the event's topics
 * @param details          the other payload fields, at most {@link #MAX_DETAILS}
 */
record EventSummary(long seq, String type, Severity severity, Instant timestamp, String characteristicId,
                    String characteristicName, String violationId, String ruleName, String ruleId, String sampleId,
                    String value, String lcl, String centerLine, String ucl, String lsl, String usl, String unit,
                    List<String> topics, List<Detail> details) {

    /** Most payload fields shown as details; a mail is for reading, not a dump. */
    static final int MAX_DETAILS = 30;
    /** Longest value shown; longer ones are cut with an ellipsis. */
    static final int MAX_VALUE_CHARS = 500;

    private static final Set<String> KNOWN = Set.of("characteristic_name", "characteristic", "characteristic_id",
                                                    "violation_id", "rule_name", "rule_id", "sample_id", "value",
                                                    "mean", "lcl", "center_line", "cl", "ucl", "lsl", "usl", "unit",
                                                    "severity");

    /**
     * One payload field.
     *
     * @param key   the field name
     * @param value its value as text (objects and arrays as compact JSON)
     */
    record Detail(String key, String value) {
    }

    EventSummary {
        topics = List.copyOf(topics);
        details = List.copyOf(details);
    }

    static EventSummary of(Event event) {
        JsonNode p = event.payload();
        String charName = text(p, "characteristic_name");
        if (charName == null && p.path("characteristic").isTextual()) {
            charName = text(p, "characteristic");
        }
        List<Detail> details = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = p.fields();
        while (fields.hasNext() && details.size() < MAX_DETAILS) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!KNOWN.contains(f.getKey())) {
                details.add(new Detail(cut(f.getKey()), valueText(f.getValue())));
            }
        }
        return new EventSummary(event.seq(), event.type(), event.severity(), event.timestamp(),
                                event.characteristicId().orElse(null), charName, text(p, "violation_id"),
                                text(p, "rule_name"), text(p, "rule_id"), text(p, "sample_id"),
                                first(text(p, "value"), text(p, "mean")), text(p, "lcl"),
                                first(text(p, "center_line"), text(p, "cl")), text(p, "ucl"), text(p, "lsl"),
                                text(p, "usl"), text(p, "unit"), event.topics(), details);
    }

    /** A CRITICAL violation that names its violation id: what reminders are about. */
    boolean remindable() {
        return "violation".equals(type) && severity == Severity.CRITICAL && violationId != null;
    }

    /** The characteristic as people know it: its name, else {@code #id}, else empty. */
    String characteristicLabel() {
        if (characteristicName != null && !characteristicName.isBlank()) {
            return characteristicName;
        }
        return characteristicId == null ? "" : "#" + characteristicId;
    }

    /** The same summary without its details (what a reminder keeps). */
    EventSummary withoutDetails() {
        return new EventSummary(seq, type, severity, timestamp, characteristicId, characteristicName, violationId,
                                ruleName, ruleId, sampleId, value, lcl, centerLine, ucl, lsl, usl, unit, topics,
                                List.of());
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("seq", seq);
        o.put("type", type);
        o.put("severity", severity.name());
        o.put("timestamp", timestamp.toString());
        putIf(o, "characteristic_id", characteristicId);
        putIf(o, "characteristic_name", characteristicName);
        putIf(o, "violation_id", violationId);
        putIf(o, "rule_name", ruleName);
        putIf(o, "rule_id", ruleId);
        putIf(o, "sample_id", sampleId);
        putIf(o, "value", value);
        putIf(o, "lcl", lcl);
        putIf(o, "center_line", centerLine);
        putIf(o, "ucl", ucl);
        putIf(o, "lsl", lsl);
        putIf(o, "usl", usl);
        putIf(o, "unit", unit);
        ArrayNode t = o.putArray("topics");
        topics.forEach(t::add);
        ArrayNode d = o.putArray("details");
        for (Detail detail : details) {
            d.addObject().put("key", detail.key()).put("value", detail.value());
        }
        return o;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException when a required field is missing or wrong
     */
    static EventSummary fromJson(JsonNode o) {
        try {
            List<String> topics = new ArrayList<>();
            o.path("topics").forEach(t -> topics.add(t.asText()));
            List<Detail> details = new ArrayList<>();
            o.path("details").forEach(d -> details.add(new Detail(d.path("key").asText(), d.path("value").asText())));
            if (!o.path("seq").canConvertToLong() || !o.path("type").isTextual()) {
                throw new IllegalArgumentException("an event summary needs seq and type");
            }
            return new EventSummary(o.path("seq").asLong(), o.path("type").asText(),
                                    Severity.valueOf(o.path("severity").asText("INFO")),
                                    Instant.parse(o.path("timestamp").asText()), opt(o, "characteristic_id"),
                                    opt(o, "characteristic_name"), opt(o, "violation_id"), opt(o, "rule_name"),
                                    opt(o, "rule_id"), opt(o, "sample_id"), opt(o, "value"), opt(o, "lcl"),
                                    opt(o, "center_line"), opt(o, "ucl"), opt(o, "lsl"), opt(o, "usl"),
                                    opt(o, "unit"), topics, details);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad timestamp: " + e.getMessage());
        }
    }

    private static void putIf(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static String opt(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /** A payload field as text; {@code null} when absent or JSON null. */
    private static String text(JsonNode payload, String key) {
        JsonNode v = payload.get(key);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return valueText(v);
    }

    private static String valueText(JsonNode v) {
        return cut(v.isValueNode() ? v.asText() : v.toString());
    }

    private static String cut(String s) {
        if (s.length() <= MAX_VALUE_CHARS) {
            return s;
        }
        int end = MAX_VALUE_CHARS - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
