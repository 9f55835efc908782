package io.alerthub.core.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Counts over every event a notification stands for — per characteristic, rule, severity and type, and the time
 * span — so that a digest of a storm costs memory for its counts, not for its events. Not thread-safe.
 */
final class DigestCounts {

    private final Map<String, Long> byCharacteristic = new HashMap<>();
    private final Map<String, Long> byRule = new HashMap<>();
    private final EnumMap<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
    private final Map<String, Long> byType = new LinkedHashMap<>();
    private long count;
    private Instant first;
    private Instant last;

    void add(Event e) {
        count++;
        byCharacteristic.merge(characteristicLabel(e), 1L, Long::sum);
        JsonNode rule = e.payload().get("rule_name");
        if (rule != null && rule.isValueNode() && !rule.isNull()) {
            byRule.merge(rule.asText(), 1L, Long::sum);
        }
        bySeverity.merge(e.severity(), 1L, Long::sum);
        byType.merge(e.type(), 1L, Long::sum);
        first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
        last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
    }

    long count() {
        return count;
    }

    /** How people know an event's characteristic: its name in the payload, else {@code #<id>}. */
    static String characteristicLabel(Event e) {
        JsonNode p = e.payload();
        JsonNode name = p.get("characteristic_name");
        if (name == null || !name.isTextual()) {
            name = p.get("characteristic");
        }
        if (name != null && name.isTextual() && !name.asText().isBlank()) {
            return name.asText();
        }
        return e.characteristicId().map(id -> "#" + id).orElse(Notification.Summary.NO_CHARACTERISTIC);
    }

    Notification.Summary summary() {
        return new Notification.Summary(sorted(byCharacteristic), sorted(byRule), bySeverity, byType, first, last);
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> out = new LinkedHashMap<>();
        list.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("count", count);
        map(o.putObject("by_characteristic"), byCharacteristic);
        map(o.putObject("by_rule"), byRule);
        ObjectNode s = o.putObject("by_severity");
        bySeverity.forEach((k, v) -> s.put(k.name(), v));
        map(o.putObject("by_type"), byType);
        if (first != null) {
            o.put("first", first.toString());
            o.put("last", last.toString());
        }
        return o;
    }

    static DigestCounts fromJson(JsonNode o) {
        DigestCounts c = new DigestCounts();
        c.count = o.path("count").asLong();
        o.path("by_characteristic").properties().forEach(e -> c.byCharacteristic.put(e.getKey(), e.getValue().asLong()));
        o.path("by_rule").properties().forEach(e -> c.byRule.put(e.getKey(), e.getValue().asLong()));
        o.path("by_severity").properties()
                .forEach(e -> c.bySeverity.put(Severity.valueOf(e.getKey()), e.getValue().asLong()));
        o.path("by_type").properties().forEach(e -> c.byType.put(e.getKey(), e.getValue().asLong()));
        if (o.hasNonNull("first")) {
            c.first = Instant.parse(o.get("first").asText());
            c.last = Instant.parse(o.get("last").asText());
        }
        return c;
    }

    private static void map(ObjectNode o, Map<String, Long> m) {
        m.forEach(o::put);
    }
}
