package io.alerthub.core.notify;

import java.util.ArrayList;
import java.util.List;

import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The events waiting to go out together to one receiver of one route: opened by the first, closed when its window
 * has passed and the rate limit allows a notification. It lists the first {@code digest-size} events and counts the
 * rest. Not thread-safe.
 */
final class Group {

    final int route;
    final String receiver;
    final long openedAt;
    /** When it may go: the end of its window, or when the rate limit frees a slot (epoch millis). */
    long dueAt;
    private final List<Held> shown = new ArrayList<>();
    private final DigestCounts counts;

    Group(int route, String receiver, long openedAt, long dueAt) {
        this(route, receiver, openedAt, dueAt, new DigestCounts());
    }

    private Group(int route, String receiver, long openedAt, long dueAt, DigestCounts counts) {
        this.route = route;
        this.receiver = receiver;
        this.openedAt = openedAt;
        this.dueAt = dueAt;
        this.counts = counts;
    }

    static String key(int route, String receiver) {
        return route + "|" + receiver;
    }

    String key() {
        return key(route, receiver);
    }

    void add(Event e, int digestSize) {
        counts.add(e);
        if (shown.size() < digestSize) {
            shown.add(Held.of(e));
        }
    }

    long count() {
        return counts.count();
    }

    List<Held> shown() {
        return List.copyOf(shown);
    }

    DigestCounts counts() {
        return counts;
    }

    ObjectNode toJson(ObjectNode o) {
        o.put("route", route).put("receiver", receiver).put("opened_at", openedAt).put("due_at", dueAt);
        ArrayNode events = o.putArray("events");
        shown.forEach(h -> events.add(h.toJson()));
        o.set("counts", counts.toJson());
        return o;
    }

    static Group fromJson(JsonNode o) {
        Group g = new Group(o.path("route").asInt(), o.path("receiver").asText(), o.path("opened_at").asLong(),
                            o.path("due_at").asLong(), DigestCounts.fromJson(o.path("counts")));
        o.path("events").forEach(h -> g.shown.add(Held.fromJson(h)));
        return g;
    }
}
