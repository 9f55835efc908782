package io.alerthub.core.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event ready to be numbered: validated and serialized except for its {@code seq}, so that the log's numbering,
 * done under its append lock, is cheap ({@link #withSeq(long)} only splices the number in).
 */
public final class EventDraft {

    private static final byte[] SEQ_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_INFIX = "\",\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] SILENCED = ",\"silenced\":true,\"silenced_by\":[".getBytes(StandardCharsets.US_ASCII);

    private final Event.Fields fields;
    private final String payloadJson;
    private final byte[] tail;

    private EventDraft(Event.Fields fields, String payloadJson) {
        this(fields, payloadJson, serializeTail(fields, payloadJson));
    }

    private EventDraft(Event.Fields fields, String payloadJson, byte[] tail) {
        this.fields = fields;
        this.payloadJson = payloadJson;
        this.tail = tail;
    }

    /** What the event is besides its seq and payload. */
    public Event.Fields fields() {
        return fields;
    }

    /** The payload, serialized (a JSON object). */
    public String payloadJson() {
        return payloadJson;
    }

    /**
     * The same event marked as silenced: its wire form ends with {@code "silenced":true,"silenced_by":[ids]}, so
     * history, resumes and every channel show the same thing.
     *
     * @param silenceIds the silences that match it, not empty; ids are plain ASCII
     */
    public EventDraft silencedBy(List<String> silenceIds) {
        if (silenceIds.isEmpty()) {
            throw new IllegalArgumentException("no silence");
        }
        WireForm.JsonBytes b = new WireForm.JsonBytes(tail.length + SILENCED.length + silenceIds.size() * 40);
        b.raw(tail, tail.length - 1).raw(SILENCED, SILENCED.length);
        for (int i = 0; i < silenceIds.size(); i++) {
            if (i > 0) {
                b.ascii(',');
            }
            b.string(silenceIds.get(i));
        }
        return new EventDraft(fields, payloadJson, b.ascii("]}").toByteArray());
    }

    public String type() {
        return fields.type();
    }

    public Optional<String> id() {
        return Optional.ofNullable(fields.id());
    }

    public Instant receivedAt() {
        return fields.receivedAt();
    }

    /** The serialized size of the event without its seq, in bytes. */
    public int size() {
        return tail.length + fields.type().length() + 20;
    }

    /**
     * The wire form without its {@code seq}: {@code {"type":"..."} then every other field, exactly as
     * {@link #withSeq(long)} writes them. Cluster mode stores this in its stream, whose sequence becomes the seq
     * ({@link WireForm#withSeq(byte[], long)} puts it back).
     */
    public byte[] jsonWithoutSeq() {
        byte[] typeBytes = fields.type().getBytes(StandardCharsets.US_ASCII);
        byte[] json = new byte[SEQ_PREFIX.length + typeBytes.length + 1 + tail.length];
        System.arraycopy(SEQ_PREFIX, 0, json, 0, SEQ_PREFIX.length);
        System.arraycopy(typeBytes, 0, json, SEQ_PREFIX.length, typeBytes.length);
        json[SEQ_PREFIX.length + typeBytes.length] = '"';
        System.arraycopy(tail, 0, json, SEQ_PREFIX.length + typeBytes.length + 1, tail.length);
        return json;
    }

    public Event withSeq(long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be positive");
        }
        byte[] typeBytes = fields.type().getBytes(StandardCharsets.US_ASCII);
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
    private static byte[] serializeTail(Event.Fields f, String payloadJson) {
        WireForm.JsonBytes b = new WireForm.JsonBytes(payloadJson.length() + 192);
        b.ascii(',');
        if (!f.topics().isEmpty()) {
            b.ascii("\"topic\":").string(f.topics().getFirst()).ascii(',');
        }
        b.ascii("\"topics\":[");
        for (int i = 0; i < f.topics().size(); i++) {
            if (i > 0) {
                b.ascii(',');
            }
            b.string(f.topics().get(i));
        }
        b.ascii(']');
        if (f.characteristicId() != null) {
            b.ascii(",\"characteristic_id\":");
            if (f.characteristicNumeric()) {
                b.raw(f.characteristicId());
            } else {
                b.string(f.characteristicId());
            }
        }
        b.ascii(",\"severity\":").string(f.severity().name());
        b.ascii(",\"timestamp\":").string(WireForm.timestamp(f.timestamp()));
        if (f.id() != null) {
            b.ascii(",\"id\":").string(f.id());
        }
        b.ascii(",\"payload\":").raw(payloadJson);
        if (f.severity() == Severity.CRITICAL) {
            b.ascii(",\"requires_ack\":true");
        }
        return b.ascii('}').toByteArray();
    }

    public static Builder builder(String type) {
        return new Builder(type);
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

        /** The payload as a JSON tree (Jackson writes a tree's {@code toString()} as JSON). */
        public Builder payload(JsonNode payload) {
            this.payloadJson = payload.toString();
            return this;
        }

        /** Everything but the {@code seq}: serialized now, so that numbering it later is cheap. */
        public EventDraft draft() {
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
            return new EventDraft(new Event.Fields(type, characteristicId, characteristicNumeric, topics, severity, id,
                                                   ts, received), payloadJson);
        }

        public Event build(long seq) {
            return draft().withSeq(seq);
        }
    }
}
