package io.alerthub.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The hub's own messages, each a ready text frame, in both dialects. */
final class Messages {

    /**
     * Jackson keeps its buffers per thread by default: with a virtual thread per connection that is some 16 KB
     * held by every connection that ever wrote or read a message. A shared bounded pool keeps a few for all.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .build();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    private static final byte[] OPENSPC_PONG = WsFrames.text("{\"type\":\"pong\"}".getBytes(StandardCharsets.US_ASCII));

    /** Writes the fields of one JSON object. */
    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private Messages() {
    }

    static byte[] welcome(UUID connectionId, long lastSeq, long heartbeatIntervalMs, long heartbeatTimeoutMs) {
        return object(g -> {
            g.writeStringField("type", "welcome");
            g.writeStringField("connection_id", connectionId.toString());
            g.writeNumberField("last_seq", lastSeq);
            g.writeNumberField("heartbeat_interval_ms", heartbeatIntervalMs);
            g.writeNumberField("heartbeat_timeout_ms", heartbeatTimeoutMs);
        });
    }

    static byte[] subscribed(Subscription s) {
        return object(g -> {
            g.writeStringField("type", "subscribed");
            s.writeFields(g);
        });
    }

    static byte[] ping(long lastSeq) {
        return object(g -> {
            g.writeStringField("type", "ping");
            g.writeNumberField("last_seq", lastSeq);
        });
    }

    static byte[] pong(long lastSeq) {
        return object(g -> {
            g.writeStringField("type", "pong");
            g.writeNumberField("last_seq", lastSeq);
        });
    }

    static byte[] replayGap(long fromSeq, long toSeq) {
        return object(g -> {
            g.writeStringField("type", "replay_gap");
            g.writeNumberField("from_seq", fromSeq);
            g.writeNumberField("to_seq", toSeq);
        });
    }

    static byte[] error(String code, String message) {
        return object(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
        });
    }

    /** OpenSPC's {@code subscribed} / {@code unsubscribed}: the ids the message named, as it named them. */
    static byte[] openSpcIds(String type, Map<String, Boolean> ids) {
        return object(g -> {
            g.writeStringField("type", type);
            Subscription.writeIds(g, ids);
        });
    }

    static byte[] openSpcPong() {
        return OPENSPC_PONG;
    }

    static byte[] openSpcError(String message) {
        return object(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("message", message);
        });
    }

    /** One JSON object as a text frame. */
    static byte[] object(Fields fields) {
        return WsFrames.text(json(fields));
    }

    /** One JSON object, UTF-8. */
    static byte[] json(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
