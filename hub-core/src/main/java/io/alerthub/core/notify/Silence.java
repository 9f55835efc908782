package io.alerthub.core.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A silence, or with a schedule a recurring maintenance window: while it is active, the events its matchers match are
 * still accepted, kept and streamed, marked {@code "silenced":true}, but no human channel notifies about them and no
 * escalation step fires for their alarms.
 *
 * @param id        its id
 * @param matchers  which events
 * @param startsAt  from when
 * @param endsAt    until when; {@code null} for a schedule without an end
 * @param schedule  the recurring window, or {@code null} for the whole time range
 * @param createdBy who made it
 * @param comment   why (may be empty)
 * @param createdAt when it was made
 * @param expiredAt when it was expired ({@code DELETE}), or {@code null}
 */
public record Silence(String id, EventMatcher matchers, Instant startsAt, Instant endsAt, MaintenanceSchedule schedule,
                      String createdBy, String comment, Instant createdAt, Instant expiredAt) {

    static final int MAX_CREATED_BY = 128;
    static final int MAX_COMMENT = 1024;
    private static final Set<String> FIELDS = Set.of("matchers", "starts_at", "ends_at", "duration", "schedule",
                                                     "created_by", "comment");

    /** {@code active} (in force now), {@code pending} (not yet, or between two windows), {@code expired}. */
    public String state(Instant t) {
        if (expiredAt != null || endsAt != null && !t.isBefore(endsAt)) {
            return "expired";
        }
        return activeAt(t) ? "active" : "pending";
    }

    public boolean activeAt(Instant t) {
        return expiredAt == null && !t.isBefore(startsAt) && (endsAt == null || t.isBefore(endsAt))
                && (schedule == null || schedule.activeAt(t));
    }

    /** Whether it can never be active again after {@code t}. */
    boolean over(Instant t) {
        return expiredAt != null || endsAt != null && !t.isBefore(endsAt);
    }

    Silence expire(Instant at) {
        return new Silence(id, matchers, startsAt, endsAt, schedule, createdBy, comment, createdAt, at);
    }

    /** The silence as the API shows it and the silences file keeps it. */
    public ObjectNode toJson(Instant now) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.set("matchers", matchers.toJson());
        o.put("starts_at", startsAt.toString());
        if (endsAt == null) {
            o.putNull("ends_at");
        } else {
            o.put("ends_at", endsAt.toString());
        }
        if (schedule != null) {
            o.set("schedule", schedule.toJson());
            if (!over(now)) {
                Instant next = schedule.nextStart(now.isBefore(startsAt) ? startsAt.minusNanos(1) : now);
                if (next != null && (endsAt == null || next.isBefore(endsAt))) {
                    o.put("next_start", next.toString());
                }
            }
        }
        o.put("created_by", createdBy);
        o.put("comment", comment);
        o.put("created_at", createdAt.toString());
        if (expiredAt != null) {
            o.put("expired_at", expiredAt.toString());
        }
        o.put("state", state(now));
        o.put("active", activeAt(now));
        return o;
    }

    /**
     * Reads a new silence from a {@code POST /api/v1/silences} body.
     *
     * @throws InvalidInputException naming the field that is wrong
     */
    static Silence create(String id, JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException(null, "the body must be a JSON object: {\"matchers\":{..},"
                    + "\"ends_at\":..,\"created_by\":..}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidInputException(name, "unknown field " + MaintenanceSchedule.printable(name)
                        + "; a silence has " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        EventMatcher matchers = EventMatcher.fromJson(body.get("matchers"), "matchers");
        Instant startsAt = instant(body, "starts_at");
        if (startsAt == null) {
            startsAt = now;
        }
        Instant endsAt = instant(body, "ends_at");
        JsonNode duration = body.get("duration");
        if (duration != null && !duration.isNull()) {
            if (endsAt != null) {
                throw new InvalidInputException("duration", "give ends_at or duration, not both");
            }
            Duration d;
            try {
                d = Duration.parse(duration.asText());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("duration", "duration must be ISO-8601, such as PT2H");
            }
            if (d.isNegative() || d.isZero()) {
                throw new InvalidInputException("duration", "duration must be longer than zero");
            }
            endsAt = startsAt.plus(d);
        }
        MaintenanceSchedule schedule = null;
        JsonNode s = body.get("schedule");
        if (s != null && !s.isNull()) {
            schedule = MaintenanceSchedule.fromJson(s, "schedule");
        }
        if (endsAt == null && schedule == null) {
            throw new InvalidInputException("ends_at", "ends_at (or duration) is required: a silence without a"
                    + " schedule must end");
        }
        if (endsAt != null && !endsAt.isAfter(startsAt)) {
            throw new InvalidInputException("ends_at", "ends_at must be after starts_at (" + startsAt + ")");
        }
        if (endsAt != null && !endsAt.isAfter(now)) {
            throw new InvalidInputException("ends_at", "ends_at must be in the future");
        }
        String createdBy = text(body, "created_by", MAX_CREATED_BY);
        if (createdBy.isBlank()) {
            throw new InvalidInputException("created_by", "created_by is required: who sets the silence");
        }
        String comment = text(body, "comment", MAX_COMMENT);
        return new Silence(id, matchers, startsAt, endsAt, schedule, createdBy, comment, now, null);
    }

    /** Reads a silence back from the silences file (written by {@link #toJson}). */
    static Silence stored(JsonNode o) {
        MaintenanceSchedule schedule = o.hasNonNull("schedule")
                ? MaintenanceSchedule.fromJson(o.get("schedule"), "schedule")
                : null;
        return new Silence(o.path("id").asText(), EventMatcher.fromJson(o.get("matchers"), "matchers"),
                           Instant.parse(o.path("starts_at").asText()),
                           o.hasNonNull("ends_at") ? Instant.parse(o.get("ends_at").asText()) : null, schedule,
                           o.path("created_by").asText(), o.path("comment").asText(""),
                           Instant.parse(o.path("created_at").asText()),
                           o.hasNonNull("expired_at") ? Instant.parse(o.get("expired_at").asText()) : null);
    }

    private static Instant instant(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(name, name + " must be an ISO-8601 instant (2026-03-28T22:00:00Z)");
        }
        try {
            return Instant.parse(v.asText().trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(v.asText().trim()).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(name, name + " must be an ISO-8601 instant (2026-03-28T22:00:00Z),"
                        + " not '" + MaintenanceSchedule.printable(v.asText()) + "'");
            }
        }
    }

    private static String text(JsonNode body, String name, int max) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(name, name + " must be a string");
        }
        String t = v.asText();
        if (t.length() > max || t.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new InvalidInputException(name, name + " must be at most " + max + " printable characters");
        }
        return t;
    }

    /** Whether it silences an alarm, judged by the event that opened it. */
    boolean silences(String type, java.util.List<String> topics, String characteristicId, Severity severity,
                     String ruleId, Instant t) {
        return activeAt(t) && matchers.matches(type, topics, characteristicId, severity, () -> ruleId);
    }
}
