package io.alerthub.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
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

    /** With a shared buffer pool: Jackson's default pool is per thread, and virtual threads are not reused. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                                                                .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                                                                .build());
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
            List<String> topics;
            if (extraTopics.isEmpty()) {
                topics = characteristicId == null ? List.of() : List.of("characteristic:" + characteristicId);
            } else {
                LinkedHashSet<String> all = new LinkedHashSet<>();
                if (characteristicId != null) {
                    all.add("characteristic:" + characteristicId);
                }
                all.addAll(extraTopics);
                topics = List.copyOf(all);
            }
            Instant received = receivedAt == null ? Instant.now() : receivedAt;
            Instant ts = timestamp == null ? received : timestamp;
            return new Draft(new Fields(type, characteristicId, characteristicNumeric, topics, severity, id, ts,
                                        received), payloadJson);
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

        /**
         * Everything after {@code "seq":N}, starting with a comma and ending the object: the bytes Jackson's
         * generator wrote, written directly (a generator per event was most of the cost of drafting one); only a
         * string that is not plain ASCII still goes through one.
         */
        private static byte[] serializeTail(Fields f, String payloadJson) {
            JsonBytes b = new JsonBytes(payloadJson.length() + 192);
            b.ascii(',');
            if (!f.topics.isEmpty()) {
                b.ascii("\"topic\":").string(f.topics.getFirst()).ascii(',');
            }
            b.ascii("\"topics\":[");
            for (int i = 0; i < f.topics.size(); i++) {
                if (i > 0) {
                    b.ascii(',');
                }
                b.string(f.topics.get(i));
            }
            b.ascii(']');
            if (f.characteristicId != null) {
                b.ascii(",\"characteristic_id\":");
                if (f.characteristicNumeric) {
                    b.raw(f.characteristicId);
                } else {
                    b.string(f.characteristicId);
                }
            }
            b.ascii(",\"severity\":").string(f.severity.name());
            b.ascii(",\"timestamp\":").string(Timestamps.format(f.timestamp));
            if (f.id != null) {
                b.ascii(",\"id\":").string(f.id);
            }
            b.ascii(",\"payload\":").raw(payloadJson);
            if (f.severity == Severity.CRITICAL) {
                b.ascii(",\"requires_ack\":true");
            }
            return b.ascii('}').toByteArray();
        }
    }

    /**
     * ISO-8601 text of the last instant formatted: the events of a batch, and those accepted within the same
     * millisecond, share their time of receipt, and formatting an {@link Instant} costs more than the rest of the
     * event's serialization.
     */
    private static final class Timestamps {
        private record Formatted(Instant instant, String text) {
        }

        private static volatile Formatted last = new Formatted(Instant.EPOCH, Instant.EPOCH.toString());

        static String format(Instant instant) {
            Formatted f = last;
            if (f.instant.equals(instant)) {
                return f.text;
            }
            String text = instant.toString();
            last = new Formatted(instant, text);
            return text;
        }
    }

    /** A growing UTF-8 buffer for {@link Draft#serializeTail}. */
    private static final class JsonBytes {
        private byte[] bytes;
        private int size;

        JsonBytes(int capacity) {
            bytes = new byte[capacity];
        }

        JsonBytes ascii(char c) {
            ensure(1);
            bytes[size++] = (byte) c;
            return this;
        }

        /** Text known to be ASCII (the structure's own names and punctuation, plain values). */
        JsonBytes ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
            return this;
        }

        /**
         * A JSON string value. Plain ASCII is written as it is; anything else goes through a generator, so that it is
         * escaped exactly as before (Jackson escapes control characters, and writes characters outside the BMP as
         * {@code \\uD83D\\uDE00} pairs).
         */
        JsonBytes string(String s) {
            if (plain(s)) {
                return ascii('"').ascii(s).ascii('"');
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 2 + 8);
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                g.writeString(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] quoted = out.toByteArray();
            ensure(quoted.length);
            System.arraycopy(quoted, 0, bytes, size, quoted.length);
            size += quoted.length;
            return this;
        }

        /** Text written as it is, UTF-8 encoded (a number, the payload's JSON). */
        JsonBytes raw(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            return this;
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }

        /** Printable ASCII without quote or backslash: what Jackson writes unchanged. */
        private static boolean plain(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                    return false;
                }
            }
            return true;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
