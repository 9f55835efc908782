package io.alerthub.core.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The event's wire form ({@link Event#json()}): written by {@link EventDraft}, read back by {@link #read} (the
 * event log stores the wire form and nothing else).
 */
public final class WireForm {

    /** With a shared buffer pool: Jackson's default pool is per thread, and virtual threads are not reused. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .build();

    private WireForm() {
    }

    /**
     * An event's wire form from the form without its seq ({@link EventDraft#jsonWithoutSeq()}): {@code ,"seq":N} goes
     * in right after the type, where {@link EventDraft#withSeq(long)} puts it.
     *
     * @throws IllegalArgumentException when the bytes do not start with {@code {"type":"...",}
     */
    public static byte[] withSeq(byte[] withoutSeq, long seq) {
        int prefix = "{\"type\":\"".length();
        int end = prefix;
        while (end < withoutSeq.length && withoutSeq[end] != '"') {
            end++;
        }
        if (end >= withoutSeq.length - 1 || !startsWithType(withoutSeq)) {
            throw new IllegalArgumentException("not an event without its seq");
        }
        byte[] infix = (",\"seq\":" + seq).getBytes(StandardCharsets.US_ASCII);
        byte[] json = new byte[withoutSeq.length + infix.length];
        System.arraycopy(withoutSeq, 0, json, 0, end + 1);
        System.arraycopy(infix, 0, json, end + 1, infix.length);
        System.arraycopy(withoutSeq, end + 1, json, end + 1 + infix.length, withoutSeq.length - end - 1);
        return json;
    }

    private static boolean startsWithType(byte[] json) {
        byte[] prefix = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
        if (json.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (json[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Read an event back from its wire form (as {@link Event#json()} holds it).
     *
     * @throws IllegalArgumentException when the bytes are not an event's wire form
     */
    public static Event read(byte[] json, Instant receivedAt) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            long seq = 0;
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
            return new Event(new Event.Fields(type, charId, charNumeric, topics, severity, id, timestamp, receivedAt),
                             seq, json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable event: " + e.getMessage(), e);
        }
    }

    /**
     * The silences an event's wire form names ({@code "silenced_by":[..]}, stamped at ingest by
     * {@link EventDraft#silencedBy}); empty when it was not silenced.
     */
    public static List<String> silencedBy(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("silenced_by")) {
                    List<String> ids = new ArrayList<>(2);
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        ids.add(p.getText());
                    }
                    return ids;
                }
                p.skipChildren();
            }
            return List.of();
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable event: " + e.getMessage(), e);
        }
    }

    /** The ISO-8601 text of an instant (see {@link Timestamps}). */
    static String timestamp(Instant instant) {
        return Timestamps.format(instant);
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
    static final class JsonBytes {
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

        /** The first {@code length} bytes of {@code utf8}, written as they are. */
        JsonBytes raw(byte[] utf8, int length) {
            ensure(length);
            System.arraycopy(utf8, 0, bytes, size, length);
            size += length;
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
