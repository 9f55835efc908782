package io.alerthub.core.notify;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import io.alerthub.spi.ConfigNode;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which events a route, an escalation policy, an inhibition rule or a silence is about. Every matcher given must
 * match (and); a matcher with several values matches any of them (or); a matcher not given matches everything.
 *
 * @param types             event-type patterns ({@code violation}, {@code alert.*}); empty = any type
 * @param minSeverity       the lowest severity, or {@code null} for any
 * @param topics            topic patterns ({@code line:7}, {@code line:*}), one of which must match one of the
 *                          event's topics; empty = any
 * @param characteristicIds characteristics (as text); empty = any
 * @param ruleIds           {@code payload.rule_id}s (as text); empty = any
 */
public record EventMatcher(List<SubscriptionPattern> types, Severity minSeverity, List<SubscriptionPattern> topics,
                           Set<String> characteristicIds, Set<String> ruleIds) {

    /** Matches every event. */
    public static final EventMatcher ANY = new EventMatcher(List.of(), null, List.of(), Set.of(), Set.of());
    /** What a route or an escalation takes when it says nothing: CRITICAL violations (PROTOCOL section 5). */
    static final EventMatcher CRITICAL_VIOLATIONS = new EventMatcher(List.of(SubscriptionPattern.event("violation")),
                                                                     Severity.CRITICAL, List.of(), Set.of(), Set.of());

    public EventMatcher {
        types = List.copyOf(types);
        topics = List.copyOf(topics);
        characteristicIds = Set.copyOf(characteristicIds);
        ruleIds = Set.copyOf(ruleIds);
    }

    /** Whether it matches everything (no matcher given). */
    public boolean isEmpty() {
        return types.isEmpty() && minSeverity == null && topics.isEmpty() && characteristicIds.isEmpty()
                && ruleIds.isEmpty();
    }

    public boolean matches(Event e) {
        return matches(e.type(), e.topics(), e.characteristicId().orElse(null), e.severity(),
                       () -> ruleId(e.payload()));
    }

    /**
     * Whether an event (or an alarm, by the event that opened it) matches.
     *
     * @param ruleId asked only when rule ids are matched ({@code payload.rule_id} as text, or {@code null})
     */
    public boolean matches(String type, List<String> eventTopics, String characteristicId, Severity severity,
                           Supplier<String> ruleId) {
        if (minSeverity != null && !severity.atLeast(minSeverity)) {
            return false;
        }
        if (!types.isEmpty() && !anyMatches(types, List.of(type))) {
            return false;
        }
        if (!topics.isEmpty() && !anyMatches(topics, eventTopics)) {
            return false;
        }
        if (!characteristicIds.isEmpty() && (characteristicId == null || !characteristicIds.contains(characteristicId))) {
            return false;
        }
        return ruleIds.isEmpty() || ruleIds.contains(ruleId.get());
    }

    private static boolean anyMatches(List<SubscriptionPattern> patterns, List<String> values) {
        for (SubscriptionPattern p : patterns) {
            if (p.matchesAny(values)) {
                return true;
            }
        }
        return false;
    }

    /** {@code payload.rule_id} as text, or {@code null}. */
    public static String ruleId(JsonNode payload) {
        JsonNode r = payload == null ? null : payload.get("rule_id");
        return r == null || !r.isValueNode() || r.isNull() ? null : r.asText();
    }

    /**
     * Reads a matcher from the configuration ({@code match:}, {@code source:}): {@code type} (or {@code types}),
     * {@code min-severity}, {@code topic} (or {@code topics}), {@code characteristic-id}, {@code rule-id}; each but
     * {@code min-severity} a value or a list. The protocol's snake-case spellings ({@code characteristic_id},
     * {@code rule_id}, {@code min_severity}) are read too.
     *
     * @param defaultTypes       the types when none are given
     * @param defaultMinSeverity the lowest severity when none is given, or {@code null}
     */
    static EventMatcher fromConfig(ConfigNode c, List<String> defaultTypes, Severity defaultMinSeverity) {
        List<SubscriptionPattern> types = new ArrayList<>();
        String typeKey = either(c, "type", "types");
        List<String> typeTexts = c.strings(typeKey, defaultTypes);
        if (typeTexts.isEmpty() && c.exists(typeKey)) {
            throw c.error(typeKey, "must name at least one event type or pattern (violation, alert.*, *)");
        }
        for (String t : typeTexts) {
            try {
                types.add(SubscriptionPattern.event(t.trim()));
            } catch (IllegalArgumentException e) {
                throw c.error(typeKey, e.getMessage());
            }
        }
        Severity min = c.enumValue(either(c, "min-severity", "min_severity"), Severity.class, defaultMinSeverity);
        List<SubscriptionPattern> topics = new ArrayList<>();
        String topicKey = either(c, "topic", "topics");
        for (String t : c.strings(topicKey, List.of())) {
            try {
                topics.add(SubscriptionPattern.topic(t.trim()));
            } catch (IllegalArgumentException e) {
                throw c.error(topicKey, e.getMessage());
            }
        }
        String charKey = either(c, "characteristic-id", "characteristic_id");
        Set<String> characteristics = new LinkedHashSet<>();
        for (String id : c.strings(charKey, List.of())) {
            if (!SubscriptionPattern.CHARACTERISTIC_ID.matcher(id.trim()).matches()) {
                throw c.error(charKey, "'" + id + "' is not a characteristic id (1 to 64 of A-Z a-z 0-9 _ -)");
            }
            characteristics.add(id.trim());
        }
        String ruleKey = either(c, "rule-id", "rule_id");
        Set<String> rules = new LinkedHashSet<>();
        for (String id : c.strings(ruleKey, List.of())) {
            rules.add(id.trim());
        }
        return new EventMatcher(types, min, topics, characteristics, rules);
    }

    private static String either(ConfigNode c, String kebab, String other) {
        if (c.exists(other)) {
            if (c.exists(kebab)) {
                throw c.error(other, "give " + kebab + " or " + other + ", not both");
            }
            return other;
        }
        c.accept(other);
        return kebab;
    }

    private static final Set<String> JSON_FIELDS = Set.of("type", "topic", "characteristic_id", "min_severity",
                                                          "rule_id");

    /**
     * Reads a silence's matchers: {@code {"type":..,"topic":..,"characteristic_id":..,"min_severity":..,
     * "rule_id":..}}, each but {@code min_severity} a value or an array; at least one.
     *
     * @param field the object's field name, for errors ({@code matchers})
     * @throws InvalidInputException naming the field that is wrong
     */
    static EventMatcher fromJson(JsonNode o, String field) {
        if (o == null || !o.isObject()) {
            throw new InvalidInputException(field, field + " must be an object: {\"type\":..,\"topic\":..,"
                    + "\"characteristic_id\":..,\"min_severity\":..,\"rule_id\":..}");
        }
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!JSON_FIELDS.contains(name)) {
                throw new InvalidInputException(field + "." + name, "unknown matcher " + name + "; matchers are "
                        + String.join(", ", List.of("type", "topic", "characteristic_id", "min_severity", "rule_id")));
            }
        }
        List<SubscriptionPattern> types = new ArrayList<>();
        for (String t : texts(o, "type", field)) {
            try {
                types.add(SubscriptionPattern.event(t));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field + ".type", e.getMessage());
            }
        }
        List<SubscriptionPattern> topics = new ArrayList<>();
        for (String t : texts(o, "topic", field)) {
            try {
                topics.add(SubscriptionPattern.topic(t));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field + ".topic", e.getMessage());
            }
        }
        Set<String> characteristics = new LinkedHashSet<>();
        for (String id : texts(o, "characteristic_id", field)) {
            if (!SubscriptionPattern.CHARACTERISTIC_ID.matcher(id).matches()) {
                throw new InvalidInputException(field + ".characteristic_id", "characteristic_id must be an integer or"
                        + " a string of 1 to 64 characters A-Z a-z 0-9 _ -");
            }
            characteristics.add(id);
        }
        Set<String> rules = new LinkedHashSet<>(texts(o, "rule_id", field));
        Severity min = null;
        JsonNode s = o.get("min_severity");
        if (s != null && !s.isNull()) {
            try {
                if (!s.isTextual()) {
                    throw new IllegalArgumentException("not a string");
                }
                min = Severity.valueOf(s.asText().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field + ".min_severity", "min_severity must be one of INFO, WARNING,"
                        + " CRITICAL");
            }
        }
        EventMatcher m = new EventMatcher(types, min, topics, characteristics, rules);
        if (m.isEmpty()) {
            throw new InvalidInputException(field, field + " needs at least one of type, topic, characteristic_id,"
                    + " min_severity, rule_id");
        }
        return m;
    }

    /** A value or an array of values (strings or integers), as text. */
    private static List<String> texts(JsonNode o, String name, String field) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            if (v.isEmpty()) {
                throw new InvalidInputException(field + "." + name, name + " must not be an empty array");
            }
            for (JsonNode item : v) {
                out.add(text(item, field + "." + name, name));
            }
        } else {
            out.add(text(v, field + "." + name, name));
        }
        return out;
    }

    private static String text(JsonNode v, String field, String name) {
        if (v.isTextual() && !v.asText().isBlank()) {
            return v.asText().trim();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.asLong());
        }
        throw new InvalidInputException(field, name + " must be a non-empty string or an integer");
    }

    /** The matcher as a silence shows it (what {@link #fromJson} reads). */
    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        list(o, "type", types.stream().map(SubscriptionPattern::text).toList());
        list(o, "topic", topics.stream().map(SubscriptionPattern::text).toList());
        list(o, "characteristic_id", List.copyOf(characteristicIds));
        if (minSeverity != null) {
            o.put("min_severity", minSeverity.name());
        }
        list(o, "rule_id", List.copyOf(ruleIds));
        return o;
    }

    private static void list(ObjectNode o, String name, List<String> values) {
        if (values.size() == 1) {
            o.put(name, values.getFirst());
        } else if (!values.isEmpty()) {
            ArrayNode a = o.putArray(name);
            values.forEach(a::add);
        }
    }

    @Override
    public String toString() {
        return isEmpty() ? "any event" : toJson().toString();
    }
}
