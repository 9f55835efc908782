package io.alerthub.websocket;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.alerthub.spi.Event;
import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * What one connection asked for: characteristic ids, topic patterns and event-type patterns. Immutable; a
 * subscribe or unsubscribe builds a new one. The same shape also carries the change a message asks for.
 *
 * @param characteristicIds the ids as text, each with whether the client gave it as a JSON number (it is
 *                          echoed back the same way)
 * @param topics            topic patterns by their text
 * @param events            event-type patterns by their text
 */
record Subscription(Map<String, Boolean> characteristicIds, Map<String, SubscriptionPattern> topics,
                    Map<String, SubscriptionPattern> events) {

    static final String CHARACTERISTIC_PREFIX = "characteristic:";
    static final Subscription EMPTY = new Subscription(Map.of(), Map.of(), Map.of());

    /** Where a subscription sits in the {@link SubscriptionIndex}. */
    enum KeyKind { TOPIC, TOPIC_PREFIX, TYPE, TYPE_PREFIX }

    /**
     * One entry of the index.
     *
     * @param kind  exact topic, topic prefix, exact type or type prefix
     * @param value the topic, type or prefix
     */
    record Key(KeyKind kind, String value) {
    }

    Subscription {
        characteristicIds = copy(characteristicIds);
        topics = copy(topics);
        events = copy(events);
    }

    /** An unmodifiable copy in the same order; a shared empty map for the usual empty parts. */
    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Characteristic ids, topic patterns and event patterns together (what {@code max-subscriptions} limits). */
    int size() {
        return characteristicIds.size() + topics.size() + events.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    Subscription plus(Subscription change) {
        Map<String, Boolean> ids = new LinkedHashMap<>(characteristicIds);
        change.characteristicIds.forEach(ids::putIfAbsent);
        Map<String, SubscriptionPattern> t = new LinkedHashMap<>(topics);
        change.topics.forEach(t::putIfAbsent);
        Map<String, SubscriptionPattern> e = new LinkedHashMap<>(events);
        change.events.forEach(e::putIfAbsent);
        return new Subscription(ids, t, e);
    }

    Subscription minus(Subscription change) {
        Map<String, Boolean> ids = new LinkedHashMap<>(characteristicIds);
        ids.keySet().removeAll(change.characteristicIds.keySet());
        Map<String, SubscriptionPattern> t = new LinkedHashMap<>(topics);
        t.keySet().removeAll(change.topics.keySet());
        Map<String, SubscriptionPattern> e = new LinkedHashMap<>(events);
        e.keySet().removeAll(change.events.keySet());
        return new Subscription(ids, t, e);
    }

    /**
     * Whether the event reaches this subscription through a topic or its type (broadcast types are the
     * caller's business). Used for replays, one connection at a time; live events go through the index.
     */
    boolean matches(Event event) {
        for (String topic : event.topics()) {
            if (topic.startsWith(CHARACTERISTIC_PREFIX)
                    && characteristicIds.containsKey(topic.substring(CHARACTERISTIC_PREFIX.length()))) {
                return true;
            }
            for (SubscriptionPattern p : topics.values()) {
                if (p.matches(topic)) {
                    return true;
                }
            }
        }
        for (SubscriptionPattern p : events.values()) {
            if (p.matches(event.type())) {
                return true;
            }
        }
        return false;
    }

    /** The index entries that route events to this subscription. */
    Set<Key> keys() {
        Set<Key> keys = new LinkedHashSet<>();
        for (String id : characteristicIds.keySet()) {
            keys.add(new Key(KeyKind.TOPIC, CHARACTERISTIC_PREFIX + id));
        }
        for (SubscriptionPattern p : topics.values()) {
            keys.add(p.exact() ? new Key(KeyKind.TOPIC, p.text()) : new Key(KeyKind.TOPIC_PREFIX, p.prefix()));
        }
        for (SubscriptionPattern p : events.values()) {
            keys.add(p.exact() ? new Key(KeyKind.TYPE, p.text()) : new Key(KeyKind.TYPE_PREFIX, p.prefix()));
        }
        return keys;
    }

    /** Writes {@code characteristic_ids}, {@code topics} and {@code events} as fields of the current object. */
    void writeFields(JsonGenerator g) throws IOException {
        writeIds(g, characteristicIds);
        g.writeArrayFieldStart("topics");
        for (String t : topics.keySet()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("events");
        for (String e : events.keySet()) {
            g.writeString(e);
        }
        g.writeEndArray();
    }

    /** Writes {@code "characteristic_ids":[..]}, numbers as numbers. */
    static void writeIds(JsonGenerator g, Map<String, Boolean> ids) throws IOException {
        g.writeArrayFieldStart("characteristic_ids");
        for (Map.Entry<String, Boolean> id : ids.entrySet()) {
            if (id.getValue()) {
                g.writeNumber(id.getKey());
            } else {
                g.writeString(id.getKey());
            }
        }
        g.writeEndArray();
    }
}
