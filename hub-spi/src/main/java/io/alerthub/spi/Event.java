package io.alerthub.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
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
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                                                                        .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
                                                                        .build());

    private final Fields fields;
    private final long seq;
    private final byte[] json;
    private volatile JsonNode payload;

    /**
     * An event as the hub numbered it. Plugins receive events; only the hub (and tests) make them.
     *
     * @param fields what the event is besides its seq and payload
     * @param seq    its {@code seq}
     * @param json   its wire form, carrying this seq (see the class comment); kept, not copied
     */
    public Event(Fields fields, long seq, byte[] json) {
        this.fields = Objects.requireNonNull(fields, "fields");
        this.seq = seq;
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * What an event is besides its seq and payload; shared by an event and the draft it was numbered from.
     *
     * @param type                  the event type
     * @param characteristicId      the characteristic, as text, or {@code null}
     * @param characteristicNumeric whether the characteristic goes out as a JSON number
     * @param topics                all topics, {@code characteristic:<id>} first when there is one
     * @param severity              the severity
     * @param id                    the producer's key, or {@code null}
     * @param timestamp             when it happened
     * @param receivedAt            when the hub accepted it
     */
    public record Fields(String type, String characteristicId, boolean characteristicNumeric, List<String> topics,
                         Severity severity, String id, Instant timestamp, Instant receivedAt) {
        public Fields {
            Objects.requireNonNull(type, "type");
            topics = List.copyOf(topics);
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    /** What the event is besides its seq and payload. */
    public Fields fields() {
        return fields;
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

    /**
     * The producer's payload, a JSON object, parsed on first use. A JSON tree, not a map of plain values: a payload
     * is any JSON object, and a channel that writes it back out (a dialect, a template) must keep its numbers exactly
     * as the producer wrote them ({@code 1} and {@code 1.0}, big decimals); Jackson is the hub's JSON library.
     */
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

    @Override
    public String toString() {
        return "Event[seq=" + seq + ", type=" + fields.type + ", topics=" + fields.topics + ", severity="
                + fields.severity + "]";
    }
}
