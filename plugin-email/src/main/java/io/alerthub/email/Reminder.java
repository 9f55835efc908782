package io.alerthub.email;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A reminder waiting for its time: a CRITICAL violation that was mailed and nobody has acknowledged yet.
 *
 * @param violationId the violation (what an {@code ack_update} names)
 * @param to          who got the violation's mail, and so gets the reminder
 * @param dueAt       when the next reminder goes, epoch millis
 * @param sent        reminders sent so far
 * @param mailedAt    when the violation was first mailed
 * @param item        the violation, as the reminder shows it
 */
record Reminder(String violationId, Recipients to, long dueAt, int sent, Instant mailedAt, EventSummary item) {

    ObjectNode toJson() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("violation_id", violationId);
        ArrayNode addresses = r.putArray("to");
        to.addresses().forEach(addresses::add);
        r.put("due", Instant.ofEpochMilli(dueAt).toString());
        r.put("sent", sent);
        r.put("mailed_at", mailedAt.toString());
        r.set("event", item.toJson());
        return r;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException when it is not a reminder
     */
    static Reminder fromJson(JsonNode r) {
        List<String> to = new ArrayList<>();
        r.path("to").forEach(a -> to.add(a.asText()));
        if (!r.path("violation_id").isTextual() || to.isEmpty()) {
            throw new IllegalArgumentException("a reminder needs violation_id and to");
        }
        try {
            return new Reminder(r.path("violation_id").asText(), Recipients.of(to),
                                Instant.parse(r.path("due").asText()).toEpochMilli(), r.path("sent").asInt(),
                                Instant.parse(r.path("mailed_at").asText()), EventSummary.fromJson(r.path("event")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad reminder time: " + e.getMessage());
        }
    }
}
