package io.alerthub.core.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the policy remembers of an alarm, from the event that opened it: enough to match it (escalation policies,
 * inhibition, silences) and to tell people about it.
 *
 * @param violationId      its key
 * @param openedSeq        the event that opened it
 * @param openedAt         when the hub accepted that event, epoch millis
 * @param type             that event's type
 * @param topics           its topics
 * @param characteristicId its characteristic, or {@code null}
 * @param severity         its severity
 * @param ruleId           {@code payload.rule_id}, or {@code null}
 * @param ruleName         {@code payload.rule_name}, or {@code null}
 */
record AlarmFacts(String violationId, long openedSeq, long openedAt, String type, List<String> topics,
                  String characteristicId, Severity severity, String ruleId, String ruleName) {

    AlarmFacts {
        topics = List.copyOf(topics);
    }

    static AlarmFacts of(Event e, String violationId) {
        JsonNode rule = e.payload().get("rule_name");
        return new AlarmFacts(violationId, e.seq(), e.receivedAt().toEpochMilli(), e.type(), e.topics(),
                              e.characteristicId().orElse(null), e.severity(), EventMatcher.ruleId(e.payload()),
                              rule != null && rule.isValueNode() && !rule.isNull() ? rule.asText() : null);
    }

    boolean matches(EventMatcher m) {
        return m.matches(type, topics, characteristicId, severity, () -> ruleId);
    }

    /** The value of topic {@code name} ({@code line} of {@code line:7} is {@code 7}), or {@code null}. */
    static String topicValue(List<String> topics, String name) {
        String prefix = name + ":";
        for (String t : topics) {
            if (t.startsWith(prefix)) {
                return t.substring(prefix.length());
            }
        }
        return null;
    }

    Notification.Alarm toAlarm() {
        return new Notification.Alarm(violationId, characteristicId, topics, severity, ruleName,
                                      Instant.ofEpochMilli(openedAt), openedSeq);
    }

    ObjectNode toJson(ObjectNode o) {
        o.put("violation_id", violationId).put("opened_seq", openedSeq).put("opened_at", openedAt).put("type", type);
        ArrayNode t = o.putArray("topics");
        topics.forEach(t::add);
        o.put("characteristic_id", characteristicId).put("severity", severity.name()).put("rule_id", ruleId)
                .put("rule_name", ruleName);
        return o;
    }

    static AlarmFacts fromJson(JsonNode o) {
        List<String> topics = new ArrayList<>();
        o.path("topics").forEach(t -> topics.add(t.asText()));
        return new AlarmFacts(o.path("violation_id").asText(), o.path("opened_seq").asLong(),
                              o.path("opened_at").asLong(), o.path("type").asText(), topics,
                              text(o, "characteristic_id"), Severity.valueOf(o.path("severity").asText()),
                              text(o, "rule_id"), text(o, "rule_name"));
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

}
