package io.alerthub.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An accepted event: what a producer posted, numbered by the hub.
 *
 * <p>{@link #json()} is the event's one wire form, serialized once and shared by every channel: the
 * WebSocket event message, the MQTT payload, an entry of {@code GET /api/v1/events} and a record of the
 * event log all carry these bytes:
 * <pre>{"type":"violation","seq":12,"topic":"characteristic:1","topics":["characteristic:1","line:7"],
 *  "characteristic_id":1,"severity":"CRITICAL","timestamp":"2026-02-02T12:00:00Z","id":"spc-456",
 *  "payload":{...},"requires_ack":true}</pre>
 * {@code topic} is the event's first topic (its characteristic's, when it has one); {@code characteristic_id},
 * {@code id} and {@code topic} are left out when absent; {@code requires_ack} only appears on CRITICAL events.
 */
public final class Event {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final byte[] SEQ_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_INFIX = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private final Fields fields;
    private final long seq;
    private final byte[] json;
    private volatile JsonNode payload;

    private Event(Fields fields, long seq, byte[] json) {
        this.fields = fields;
        this.seq = seq;
        this.json = json;
    }

    /** What an event is besides its seq and payload; shared by an event and the draft it was numbered from. */
    private record Fields(String type, String characteristicId, boolean characteristicNumeric, List<String> topics,
                          Severity severity, String id, Instant timestamp, Instant receivedAt) {
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** The hub's sequence number: positive, strictly increasing in the order events were accepted. */
    public long seq() {
        return seq;
    }

    public String type() {
        return fields.type;
    }

    /** The characteristic, as text ({@code "1"}, {@code "A-7"}). */
    public Optional<String> characteristicId() {
        return Optional.ofNullable(fields.characteristicId);
    }

    /** {@code true} when the producer gave the characteristic as a JSON number (it goes out as one). */
    public boolean characteristicNumeric() {
        return fields.characteristicNumeric;
    }

    /** All topics, {@code characteristic:<id>} first when the event has a characteristic. */
    public List<String> topics() {
        return fields.topics;
    }

    /** The first topic, or {@code null} when the event has none. */
    public String topic() {
        return fields.topics.isEmpty() ? null : fields.topics.getFirst();
    }

    public Severity severity() {
        return fields.severity;
    }

    /** The producer's key, used for deduplication. */
    public Optional<String> id() {
        return Optional.ofNullable(fields.id);
    }

    /** When it happened: the producer's timestamp, or the time the hub received it. */
    public Instant timestamp() {
        return fields.timestamp;
    }

    /** When the hub accepted it. */
    public Instant receivedAt() {
        return fields.receivedAt;
    }

    /** CRITICAL events ask dashboards to acknowledge them. */
    public boolean requiresAck() {
        return fields.severity == Severity.CRITICAL;
    }

    /** The wire form (see the class comment). Shared by every reader: never modify the array. */
    public byte[] json() {
        return json;
    }

    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The producer's payload, a JSON object, parsed on first use. */
    public JsonNode payload() {
        JsonNode p = payload;
        if (p == null) {
            try {
                p = MAPPER.readTree(json).get("payload");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            payload = p;
        }
        return p;
    }

    /**
     * Read an event back from its wire form (as written by {@link #json()}).
     *
     * @throws IllegalArgumentException when the bytes are not an event's wire form
     */
    public static Event parse(byte[] json, Instant receivedAt) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            long seq = 0;
            Builder b = null;
            String type = null;
            String charId = null;
            boolean charNumeric = false;
            List<String> topics = List.of();
            Severity severity = Severity.INFO;
            String id = null;
            Instant timestamp = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "seq" -> seq = p.getLongValue();
                    case "topics" -> {
                        List<String> list = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            list.add(p.getText());
                        }
                        topics = list;
                    }
                    case "characteristic_id" -> {
                        charId = p.getText();
                        charNumeric = t == JsonToken.VALUE_NUMBER_INT;
                    }
                    case "severity" -> severity = Severity.valueOf(p.getText());
                    case "id" -> id = p.getText();
                    case "timestamp" -> timestamp = Instant.parse(p.getText());
                    default -> p.skipChildren();
                }
            }
            if (type == null || seq <= 0 || timestamp == null) {
                throw new IllegalArgumentException("an event needs type, seq and timestamp");
            }
            return new Event(new Fields(type, charId, charNumeric, List.copyOf(topics), severity, id, timestamp,
                                        receivedAt), seq, json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable event: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Event[seq=" + seq + ", type=" + fields.type + ", topics=" + fields.topics + ", severity="
                + fields.severity + "]";
    }

    /** Builds events; the values are expected to be valid already (the hub's ingest validates them). */
    public static final class Builder {
        private final String type;
        private String characteristicId;
        private boolean characteristicNumeric;
        private final List<String> extraTopics = new ArrayList<>();
        private Severity severity = Severity.INFO;
        private String id;
        private Instant timestamp;
        private Instant receivedAt;
        private String payloadJson = "{}";

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder characteristicId(long characteristicId) {
            this.characteristicId = Long.toString(characteristicId);
            this.characteristicNumeric = true;
            return this;
        }

        public Builder characteristicId(String characteristicId) {
            this.characteristicId = characteristicId;
            this.characteristicNumeric = false;
            return this;
        }

        public Builder characteristicId(String characteristicId, boolean numeric) {
            this.characteristicId = characteristicId;
            this.characteristicNumeric = numeric && characteristicId != null;
            return this;
        }

        public Builder topic(String topic) {
            extraTopics.add(topic);
            return this;
        }

        public Builder topics(List<String> topics) {
            extraTopics.addAll(topics);
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = receivedAt;
            return this;
        }

        /** The payload as serialized JSON: a JSON object, written as is. */
        public Builder payloadJson(String payloadJson) {
            this.payloadJson = Objects.requireNonNull(payloadJson, "payload");
            return this;
        }

        public Builder payload(JsonNode payload) {
            try {
                this.payloadJson = MAPPER.writeValueAsString(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Everything but the {@code seq}: serialized now, so that numbering it later is cheap. */
        public Draft draft() {
            LinkedHashSet<String> all = new LinkedHashSet<>();
            if (characteristicId != null) {
                all.add("characteristic:" + characteristicId);
            }
            all.addAll(extraTopics);
            Instant received = receivedAt == null ? Instant.now() : receivedAt;
            Instant ts = timestamp == null ? received : timestamp;
            return new Draft(new Fields(type, characteristicId, characteristicNumeric, List.copyOf(all), severity, id,
                                        ts, received), payloadJson);
        }

        public Event build(long seq) {
            return draft().withSeq(seq);
        }
    }

    /** An event ready to be numbered; {@link #withSeq(long)} is cheap (it only splices the number in). */
    public static final class Draft {
        private final Fields fields;
        private final byte[] tail;

        private Draft(Fields fields, String payloadJson) {
            this.fields = fields;
            this.tail = serializeTail(fields, payloadJson);
        }

        public String type() {
            return fields.type;
        }

        public Optional<String> id() {
            return Optional.ofNullable(fields.id);
        }

        public Instant receivedAt() {
            return fields.receivedAt;
        }

        /** The serialized size of the event without its seq, in bytes. */
        public int size() {
            return tail.length + fields.type.length() + 20;
        }

        public Event withSeq(long seq) {
            if (seq <= 0) {
                throw new IllegalArgumentException("seq must be positive");
            }
            byte[] typeBytes = fields.type.getBytes(StandardCharsets.US_ASCII);
            byte[] seqBytes = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
            byte[] json = new byte[SEQ_PREFIX.length + typeBytes.length + SEQ_INFIX.length + seqBytes.length
                    + tail.length];
            int at = 0;
            System.arraycopy(SEQ_PREFIX, 0, json, at, SEQ_PREFIX.length);
            at += SEQ_PREFIX.length;
            System.arraycopy(typeBytes, 0, json, at, typeBytes.length);
            at += typeBytes.length;
            System.arraycopy(SEQ_INFIX, 0, json, at, SEQ_INFIX.length);
            at += SEQ_INFIX.length;
            System.arraycopy(seqBytes, 0, json, at, seqBytes.length);
            at += seqBytes.length;
            System.arraycopy(tail, 0, json, at, tail.length);
            return new Event(fields, seq, json);
        }

        /** Everything after {@code "seq":N}, starting with a comma and ending the object. */
        private static byte[] serializeTail(Fields f, String payloadJson) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(payloadJson.length() + 256);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                // The generator wants a whole object; write one and drop its opening brace.
                g.writeStartObject();
                if (!f.topics.isEmpty()) {
                    g.writeStringField("topic", f.topics.getFirst());
                }
                g.writeArrayFieldStart("topics");
                for (String t : f.topics) {
                    g.writeString(t);
                }
                g.writeEndArray();
                if (f.characteristicId != null) {
                    g.writeFieldName("characteristic_id");
                    if (f.characteristicNumeric) {
                        g.writeNumber(f.characteristicId);
                    } else {
                        g.writeString(f.characteristicId);
                    }
                }
                g.writeStringField("severity", f.severity.name());
                g.writeStringField("timestamp", f.timestamp.toString());
                if (f.id != null) {
                    g.writeStringField("id", f.id);
                }
                g.writeFieldName("payload");
                g.writeRawValue(payloadJson);
                if (f.severity == Severity.CRITICAL) {
                    g.writeBooleanField("requires_ack", true);
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] whole = out.toByteArray();
            byte[] tail = new byte[whole.length];
            tail[0] = ',';
            System.arraycopy(whole, 1, tail, 1, whole.length - 1);
            return tail;
        }
    }
}
