package io.alerthub.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A notification the policy decided, waiting in the outbox until its sender said it went (or can never go). Kept
 * in the policy's state, so a restart or a {@code kill -9} does not lose it; becomes the SPI's {@link Notification}
 * with the receiver's address when it is handed to the sender.
 *
 * @param id        derived from what it carries, so the same notification decided again has the same id
 * @param kind      single event, digest, escalation
 * @param receiver  the receiver's name
 * @param createdAt when the policy decided it, epoch millis
 * @param events    the events it lists
 * @param counts    counts over everything it stands for
 * @param alarms    for an escalation, its alarms
 * @param step      for an escalation, the step
 * @param repeat    for an escalation, the repeat of the last step (0 for the step itself)
 */
record Outgoing(String id, Notification.Kind kind, String receiver, long createdAt, List<Held> events,
                DigestCounts counts, List<AlarmFacts> alarms, int step, int repeat) {

    Outgoing {
        events = List.copyOf(events);
        alarms = List.copyOf(alarms);
    }

    /** A single event or a digest, from a group. */
    static Outgoing of(Group g, long now) {
        List<Held> shown = g.shown();
        Notification.Kind kind = g.count() == 1 ? Notification.Kind.EVENT : Notification.Kind.DIGEST;
        String id = id(kind + "|" + g.route + "|" + g.receiver + "|" + shown.getFirst().seq() + "|"
                               + shown.getLast().seq() + "|" + g.count() + "|" + g.openedAt);
        return new Outgoing(id, kind, g.receiver, now, shown, g.counts(), List.of(), 0, 0);
    }

    /** An escalation about {@code alarms}, listing the events that opened them. */
    static Outgoing escalation(String receiver, List<AlarmFacts> alarms, List<Held> opening, DigestCounts counts,
                               int step, int repeat, long now) {
        StringBuilder what = new StringBuilder("ESCALATION|" + receiver + "|" + step + "|" + repeat);
        alarms.forEach(a -> what.append('|').append(a.violationId()).append('@').append(a.openedSeq()));
        return new Outgoing(id(what.toString()), Notification.Kind.ESCALATION, receiver, now, opening, counts,
                            alarms, step, repeat);
    }

    /** How many events (alarms, for an escalation) it stands for. */
    long count() {
        return kind == Notification.Kind.ESCALATION ? alarms.size() : counts.count();
    }

    Notification toNotification(String address) {
        List<Event> listed = new ArrayList<>(events.size());
        events.forEach(h -> listed.add(h.event()));
        List<Notification.Alarm> about = new ArrayList<>(alarms.size());
        alarms.forEach(a -> about.add(a.toAlarm()));
        return new Notification(id, kind, receiver, address, Instant.ofEpochMilli(createdAt), listed, count(),
                                counts.summary(), about, step, repeat);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id).put("kind", kind.name()).put("receiver", receiver).put("created_at", createdAt);
        ArrayNode e = o.putArray("events");
        events.forEach(h -> e.add(h.toJson()));
        o.set("counts", counts.toJson());
        ArrayNode a = o.putArray("alarms");
        alarms.forEach(x -> a.add(x.toJson(JsonNodeFactory.instance.objectNode())));
        o.put("step", step).put("repeat", repeat);
        return o;
    }

    static Outgoing fromJson(JsonNode o) {
        List<Held> events = new ArrayList<>();
        o.path("events").forEach(h -> events.add(Held.fromJson(h)));
        List<AlarmFacts> alarms = new ArrayList<>();
        o.path("alarms").forEach(a -> alarms.add(AlarmFacts.fromJson(a)));
        return new Outgoing(o.path("id").asText(), Notification.Kind.valueOf(o.path("kind").asText()),
                            o.path("receiver").asText(), o.path("created_at").asLong(), events,
                            DigestCounts.fromJson(o.path("counts")), alarms, o.path("step").asInt(),
                            o.path("repeat").asInt());
    }

    private static String id(String what) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return "n-" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
