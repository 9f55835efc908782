package io.alerthub.email;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

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

    /** The characteristic as people know it: its name, else {@code #id}, else empty. */
    String characteristicLabel() {
        if (characteristicName != null && !characteristicName.isBlank()) {
            return characteristicName;
        }
        return characteristicId == null ? "" : "#" + characteristicId;
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
