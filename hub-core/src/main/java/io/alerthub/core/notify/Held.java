package io.alerthub.core.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.alerthub.core.event.WireForm;
import io.alerthub.spi.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event a notification lists, kept as its wire form (the exact bytes the log holds, numbers as the producer wrote
 * them) and its time of receipt, so that it survives a restart in the policy's state.
 *
 * @param seq        its seq
 * @param receivedAt when the hub accepted it, epoch millis
 * @param json       its wire form
 */
record Held(long seq, long receivedAt, String json) {

    static Held of(Event e) {
        return new Held(e.seq(), e.receivedAt().toEpochMilli(), e.jsonString());
    }

    Event event() {
        return WireForm.read(json.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(receivedAt));
    }

    ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("seq", seq).put("received_at", receivedAt).put("json", json);
    }

    static Held fromJson(JsonNode o) {
        return new Held(o.path("seq").asLong(), o.path("received_at").asLong(), o.path("json").asText());
    }
}
