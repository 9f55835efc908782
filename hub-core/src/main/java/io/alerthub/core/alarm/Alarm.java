package io.alerthub.core.alarm;

import java.time.Instant;
import java.util.List;

import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One alarm: opened by a violation, acknowledged and cleared independently (ACTIVE or CLEARED, acknowledged or not).
 * Immutable: every change makes a new one.
 *
 * @param violationId           its key, {@code payload.violation_id}, as text
 * @param violationNumeric      whether the id goes out as a JSON number
 * @param type                  the type of the event that opened it ({@code violation})
 * @param characteristicId      the characteristic, or {@code null}
 * @param characteristicNumeric whether it goes out as a JSON number
 * @param topics                the opening event's topics ({@code characteristic:<id>} first)
 * @param severity              the opening event's severity
 * @param ruleName              {@code payload.rule_name}, or {@code null}
 * @param ruleId                {@code payload.rule_id} as text, or {@code null}
 * @param state                 ACTIVE or CLEARED
 * @param acknowledged          whether someone acknowledged it
 * @param ackUser               who, or {@code null}
 * @param ackReason             why, or {@code null}
 * @param acknowledgedAt        when the hub accepted the acknowledgement, or {@code null}
 * @param ackSeq                the {@code seq} of that {@code ack_update}, or 0
 * @param openedAt              when the hub accepted the event that opened it
 * @param openedSeq             that event's {@code seq}
 * @param clearedAt             when it was cleared, or {@code null}
 * @param clearedBy             who cleared it ({@code user} of the clear), or {@code null}
 * @param clearReason           why, or {@code null}
 * @param escalationStep        the last escalation step that fired (0 for none)
 * @param silencedBy            the silences that matched the opening event
 */
public record Alarm(String violationId, boolean violationNumeric, String type, String characteristicId,
                    boolean characteristicNumeric, List<String> topics, Severity severity, String ruleName,
                    String ruleId, State state, boolean acknowledged, String ackUser, String ackReason,
                    Instant acknowledgedAt, long ackSeq, Instant openedAt, long openedSeq, Instant clearedAt,
                    String clearedBy, String clearReason, int escalationStep, List<String> silencedBy) {

    /** Whether the condition is still there. */
    public enum State { ACTIVE, CLEARED }

    public Alarm {
        topics = List.copyOf(topics);
        silencedBy = List.copyOf(silencedBy);
    }

    Alarm acknowledge(String user, String reason, Instant at, long seq) {
        return new Alarm(violationId, violationNumeric, type, characteristicId, characteristicNumeric, topics,
                         severity, ruleName, ruleId, state, true, user, reason, at, seq, openedAt, openedSeq,
                         clearedAt, clearedBy, clearReason, escalationStep, silencedBy);
    }

    Alarm clear(String user, String reason, Instant at) {
        return new Alarm(violationId, violationNumeric, type, characteristicId, characteristicNumeric, topics,
                         severity, ruleName, ruleId, State.CLEARED, acknowledged, ackUser, ackReason, acknowledgedAt,
                         ackSeq, openedAt, openedSeq, at, user, reason, escalationStep, silencedBy);
    }

    Alarm escalated(int step) {
        return new Alarm(violationId, violationNumeric, type, characteristicId, characteristicNumeric, topics,
                         severity, ruleName, ruleId, state, acknowledged, ackUser, ackReason, acknowledgedAt, ackSeq,
                         openedAt, openedSeq, clearedAt, clearedBy, clearReason, Math.max(step, escalationStep),
                         silencedBy);
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    /** The alarm as {@code GET /api/v1/alarms}, the {@code alarm_update} payload and the snapshot show it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (violationNumeric) {
            o.put("violation_id", Long.parseLong(violationId));
        } else {
            o.put("violation_id", violationId);
        }
        if (characteristicId == null) {
            o.putNull("characteristic_id");
        } else if (characteristicNumeric) {
            o.put("characteristic_id", Long.parseLong(characteristicId));
        } else {
            o.put("characteristic_id", characteristicId);
        }
        ArrayNode t = o.putArray("topics");
        topics.forEach(t::add);
        o.put("type", type);
        o.put("severity", severity.name());
        putText(o, "rule_name", ruleName);
        putText(o, "rule_id", ruleId);
        o.put("state", state.name());
        o.put("acknowledged", acknowledged);
        putText(o, "ack_user", ackUser);
        putText(o, "ack_reason", ackReason);
        putText(o, "acknowledged_at", acknowledgedAt == null ? null : acknowledgedAt.toString());
        o.put("opened_at", openedAt.toString());
        putText(o, "cleared_at", clearedAt == null ? null : clearedAt.toString());
        putText(o, "cleared_by", clearedBy);
        putText(o, "clear_reason", clearReason);
        o.put("opened_seq", openedSeq);
        o.put("escalation_step", escalationStep);
        ArrayNode s = o.putArray("silenced_by");
        silencedBy.forEach(s::add);
        return o;
    }

    /** The snapshot's form: {@link #toJson()} and the few fields only the hub needs. */
    ObjectNode toSnapshot() {
        ObjectNode o = toJson();
        o.put("ack_seq", ackSeq);
        return o;
    }

    static Alarm fromSnapshot(JsonNode o) {
        JsonNode v = o.get("violation_id");
        JsonNode c = o.get("characteristic_id");
        List<String> topics = texts(o.path("topics"));
        return new Alarm(v.asText(), v.isNumber(), o.path("type").asText("violation"),
                         c == null || c.isNull() ? null : c.asText(), c != null && c.isNumber(), topics,
                         Severity.valueOf(o.path("severity").asText("INFO")), text(o, "rule_name"),
                         text(o, "rule_id"), State.valueOf(o.path("state").asText()),
                         o.path("acknowledged").asBoolean(), text(o, "ack_user"), text(o, "ack_reason"),
                         instant(o, "acknowledged_at"), o.path("ack_seq").asLong(), instant(o, "opened_at"),
                         o.path("opened_seq").asLong(), instant(o, "cleared_at"), text(o, "cleared_by"),
                         text(o, "clear_reason"), o.path("escalation_step").asInt(), texts(o.path("silenced_by")));
    }

    private static void putText(ObjectNode o, String name, String value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode o, String name) {
        String t = text(o, name);
        return t == null ? null : Instant.parse(t);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
