package io.alerthub.core.cluster;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The value of a lane's key: {@code {"holder":"<instance>","cursor":N,"at":"<time of the write>"}}; no holder after a
 * clean stop, cursor -1 for a lane that never delivered.
 *
 * @param holder the instance holding the lease; empty when none
 * @param cursor the last seq the lane's plugin was handed; -1 when none
 * @param at     when it was written, for operators
 */
record LeaseValue(String holder, long cursor, String at) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] json(String holder, long cursor, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("holder", holder);
        m.put("cursor", cursor);
        m.put("at", at.toString());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a key, or an empty lease (no holder, no cursor) when it is not one of ours. */
    static LeaseValue parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new LeaseValue("", -1, "");
        }
        try {
            JsonNode n = JSON.readTree(value);
            return new LeaseValue(n.path("holder").asText(""), n.path("cursor").asLong(-1), n.path("at").asText(""));
        } catch (IOException e) {
            return new LeaseValue("", -1, "");
        }
    }
}
