package io.alerthub.core.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;
import io.alerthub.spi.SubscriptionPattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * Reads a POSTed body (one event, or {@code {"events":[...]}}) into numbered-to-be drafts, enforcing every
 * rule of the event contract while it streams: a body past its size limit or a payload nested too deep
 * is refused as soon as the limit is crossed, without reading the rest. The first broken rule refuses the
 * whole request, naming the field ({@code events[3].severity}).
 */
public final class EventParser {

    // Requests run on virtual threads, so Jackson's default per-thread buffer pool would allocate fresh buffers
    // (~12 KB) for every request; a shared pool reuses them.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .streamReadConstraints(StreamReadConstraints.builder()
                                           .maxNestingDepth(EventLimits.MAX_PAYLOAD_DEPTH + 8)
                                           .build())
            .build();
    /** The years a timestamp may name: ISO-8601's four digits (Java would take +999999999). */
    private static final int MIN_YEAR = 1;
    private static final int MAX_YEAR = 9999;
    private static final String SEVERITIES = "INFO, WARNING, CRITICAL";

    private final EventLimits limits;
    private final Clock clock;

    public EventParser(EventLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Parses a request body.
     *
     * @throws InvalidEventException naming the first broken rule
     */
    public List<EventDraft> parse(InputStream body) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (JsonParser p = FACTORY.createParser(new LimitedInputStream(body, limits.maxBodyBytes()))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw invalidJson("the body is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid(null, "the body must be a JSON object: one event, or {\"events\":[...]}");
            }
            List<EventDraft> drafts;
            if (p.nextToken() == JsonToken.FIELD_NAME && "events".equals(p.currentName())) {
                drafts = parseBatch(p, receivedAt);
            } else {
                drafts = List.of(parseEvent(p, "", receivedAt));
            }
            if (p.nextToken() != null) {
                throw invalidJson("unexpected content after the JSON object");
            }
            return drafts;
        } catch (JsonProcessingException e) {
            throw invalidJson(e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            throw invalidJson("the body could not be read: " + e.getMessage());
        }
    }

    private List<EventDraft> parseBatch(JsonParser p, Instant receivedAt) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw invalid("events", "events must be an array of events");
        }
        List<EventDraft> drafts = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String path = "events[" + drafts.size() + "]";
            if (drafts.size() == limits.maxBatchEvents()) {
                throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, "events",
                                                "a batch holds at most " + limits.maxBatchEvents() + " events");
            }
            if (t != JsonToken.START_OBJECT) {
                throw invalid(path, path + " must be an event object");
            }
            p.nextToken();
            drafts.add(parseEvent(p, path + ".", receivedAt));
        }
        if (drafts.isEmpty()) {
            throw invalid("events", "events must hold at least one event");
        }
        t = p.nextToken();
        if (t == JsonToken.FIELD_NAME) {
            throw invalid(p.currentName(), "unknown field " + p.currentName()
                    + " beside events (a batch is {\"events\":[...]})");
        }
        return drafts;
    }

    /** Reads one event object; the parser stands on its first field name (or its end). */
    private EventDraft parseEvent(JsonParser p, String prefix, Instant receivedAt) throws IOException {
        String type = null;
        String characteristicId = null;
        boolean characteristicNumeric = false;
        List<String> topics = List.of();
        Severity severity = Severity.INFO;
        String id = null;
        Instant timestamp = null;
        String payload = null;
        int seen = 0;
        for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            int bit = fieldBit(name);
            if (bit == 0) {
                throw invalid(prefix + name, "unknown field " + name + "; an event has type, characteristic_id,"
                        + " topics, severity, id, timestamp and payload");
            }
            String field = prefix + name;
            if ((seen & bit) != 0) {
                throw invalid(field, name + " appears twice");
            }
            seen |= bit;
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> type = type(p, value, field);
                case "characteristic_id" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            throw invalid(field, "characteristic_id is too large");
                        }
                        characteristicId = Long.toString(p.getLongValue());
                        characteristicNumeric = true;
                    } else if (value == JsonToken.VALUE_STRING && EventSyntax.isCharacteristicId(p.getText())) {
                        characteristicId = p.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw invalid(field, "characteristic_id must be an integer or a string of 1 to 64"
                                + " characters A-Z a-z 0-9 _ -");
                    }
                }
                case "topics" -> topics = topics(p, value, field);
                case "severity" -> severity = severity(p, value, field);
                case "id" -> id = id(p, value, field);
                case "timestamp" -> timestamp = timestamp(p, value, field);
                default -> payload = payload(p, value, field);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw invalidJson("an event must be a JSON object");
        }
        if (type == null) {
            throw invalid(prefix + "type", "type is required");
        }
        if (payload == null) {
            throw invalid(prefix + "payload", "payload is required (a JSON object)");
        }
        EventDraft.Builder b = EventDraft.builder(type)
                .characteristicId(characteristicId, characteristicNumeric)
                .topics(topics)
                .severity(severity)
                .id(id)
                .timestamp(timestamp)
                .receivedAt(receivedAt)
                .payloadJson(payload);
        return b.draft();
    }

    /** A bit per field of an event (to refuse a field given twice); 0 for a field an event does not have. */
    private static int fieldBit(String name) {
        return switch (name) {
            case "type" -> 1;
            case "characteristic_id" -> 1 << 1;
            case "topics" -> 1 << 2;
            case "severity" -> 1 << 3;
            case "id" -> 1 << 4;
            case "timestamp" -> 1 << 5;
            case "payload" -> 1 << 6;
            default -> 0;
        };
    }

    private static String type(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.length() <= SubscriptionPattern.MAX_TYPE_LENGTH && EventSyntax.isType(text)) {
                return text;
            }
        }
        throw invalid(field, "type must match [a-z0-9_]+(.[a-z0-9_]+)* and be at most "
                + SubscriptionPattern.MAX_TYPE_LENGTH + " characters");
    }

    /** The topics, each once, in the order given. */
    private static List<String> topics(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw invalid(field, "topics must be an array of name:value strings");
        }
        Set<String> topics = null;
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            if (i == EventLimits.MAX_TOPICS) {
                throw invalid(field, "an event has at most " + EventLimits.MAX_TOPICS + " topics");
            }
            String topic = t == JsonToken.VALUE_STRING ? p.getText() : null;
            if (topic == null || !EventSyntax.isTopic(topic)) {
                throw invalid(field + "[" + i + "]", "a topic must be name:value, name of [a-z0-9_], value of 1 to 64"
                        + " characters A-Z a-z 0-9 _ . -");
            }
            if (topics == null) {
                topics = new LinkedHashSet<>();
            }
            topics.add(topic);
        }
        return topics == null ? List.of() : List.copyOf(topics);
    }

    private static Severity severity(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "INFO" -> {
                    return Severity.INFO;
                }
                case "WARNING" -> {
                    return Severity.WARNING;
                }
                case "CRITICAL" -> {
                    return Severity.CRITICAL;
                }
                default -> {
                }
            }
        }
        throw invalid(field, "severity must be one of " + SEVERITIES);
    }

    private static String id(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == JsonToken.VALUE_STRING) {
            String text = p.getText();
            int length = text.codePointCount(0, text.length());
            if (length >= 1 && length <= EventLimits.MAX_ID_LENGTH && text.codePoints().noneMatch(Character::isISOControl)) {
                return text;
            }
        }
        throw invalid(field, "id must be a string of 1 to " + EventLimits.MAX_ID_LENGTH + " printable characters");
    }

    private static Instant timestamp(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                OffsetDateTime t = OffsetDateTime.parse(p.getText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                if (t.getYear() >= MIN_YEAR && t.getYear() <= MAX_YEAR) {
                    return t.toInstant();
                }
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw invalid(field, "timestamp must be an ISO-8601 instant from year " + MIN_YEAR + " to " + MAX_YEAR
                + " such as 2026-02-02T12:00:00Z");
    }

    /** Copies the payload object token by token, checking its depth and serialized size as it goes. */
    private String payload(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalid(field, "payload must be a JSON object");
        }
        BoundedOutput out = new BoundedOutput(limits.maxPayloadBytes(), field);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            copy(p, g, field);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Copies the payload, token by token, from the parser (on its START_OBJECT) to the generator. A key given twice in
     * one object is refused: consumers would disagree on which one counts (the first, the last, both).
     */
    private void copy(JsonParser p, JsonGenerator g, String field) throws IOException {
        List<Set<String>> keys = new ArrayList<>();
        for (JsonToken t = p.currentToken(); ; t = p.nextToken()) {
            switch (t) {
                case START_OBJECT -> {
                    if (keys.size() >= limits.maxPayloadDepth()) {
                        throw tooDeep(field);
                    }
                    keys.add(new HashSet<>());
                    g.writeStartObject();
                }
                case START_ARRAY -> {
                    if (keys.size() >= limits.maxPayloadDepth()) {
                        throw tooDeep(field);
                    }
                    keys.add(null);
                    g.writeStartArray();
                }
                case END_OBJECT -> {
                    keys.removeLast();
                    g.writeEndObject();
                }
                case END_ARRAY -> {
                    keys.removeLast();
                    g.writeEndArray();
                }
                case FIELD_NAME -> {
                    if (!keys.getLast().add(p.currentName())) {
                        throw invalid(field, "payload has the key \"" + abbreviate(p.currentName())
                                + "\" twice in one object");
                    }
                    g.writeFieldName(p.currentName());
                }
                case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                // The number's text as it came (no String made): exact digits are preserved either way.
                case VALUE_NUMBER_INT -> g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_FLOAT -> {
                    if (Double.isInfinite(p.getDoubleValue())) {
                        throw invalid(field, "payload holds a number beyond the range of a double: "
                                + abbreviate(p.getText()));
                    }
                    g.writeNumber(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                }
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw invalidJson("unexpected " + t + " in " + field);
            }
            if (keys.isEmpty()) {
                return;
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private InvalidEventException tooDeep(String field) {
        return invalid(field, "payload must be nested at most " + limits.maxPayloadDepth() + " levels deep");
    }

    private static InvalidEventException invalid(String field, String message) {
        return new InvalidEventException(InvalidEventException.Kind.INVALID_EVENT, field, message);
    }

    private static InvalidEventException invalidJson(String message) {
        return new InvalidEventException(InvalidEventException.Kind.INVALID_JSON, null, "malformed JSON: " + message);
    }

    private static String locationOf(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return String.format(Locale.ROOT, " (line %d, column %d)", e.getLocation().getLineNr(),
                             e.getLocation().getColumnNr());
    }

    /** A buffer that refuses to grow past the payload limit. */
    private static final class BoundedOutput extends ByteArrayOutputStream {
        private final int limit;
        private final String field;

        BoundedOutput(int limit, String field) {
            super(256);
            this.limit = limit;
            this.field = field;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int more) {
            if (count + more > limit) {
                throw new InvalidEventException(InvalidEventException.Kind.TOO_LARGE, field,
                                                "payload must be at most " + limit + " bytes serialized");
            }
        }
    }
}
