package io.alerthub.core.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

import io.alerthub.core.event.WireForm;
import io.alerthub.spi.Event;

/**
 * The bytes of a segment file. A segment starts with an 8-byte {@link #MAGIC} and holds records; one record is
 * one accepted batch:
 * <pre>
 * int32 body length | int32 CRC-32C of the body | body:
 *   int64 first seq | int32 count | count × (int64 received-at millis | int32 length | event JSON)
 * </pre>
 * The checksum is what lets recovery tell a whole record from one a crash tore ({@link Segment#recover()}).
 */
final class RecordFormat {

    static final byte[] MAGIC = "AHLOG01\n".getBytes(StandardCharsets.US_ASCII);
    /** Body length and checksum. */
    static final int HEADER = 8;
    /** The body's first seq and count. */
    static final int BATCH_HEADER = 12;
    static final int MAX_BODY = 512 << 20;

    private RecordFormat() {
    }

    /** One record holding {@code events}, numbered from {@code firstSeq}, ready to be written. */
    static ByteBuffer encode(long firstSeq, List<Event> events) {
        int bodyLength = BATCH_HEADER;
        for (Event e : events) {
            bodyLength += 12 + e.json().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + bodyLength);
        buf.position(HEADER);
        buf.putLong(firstSeq).putInt(events.size());
        for (Event e : events) {
            buf.putLong(e.receivedAt().toEpochMilli()).putInt(e.json().length).put(e.json());
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), HEADER, bodyLength);
        buf.putInt(0, bodyLength).putInt(4, (int) crc.getValue());
        buf.position(0);
        return buf;
    }

    /** Whether a header's body length can be one this format wrote. */
    static boolean plausibleLength(int bodyLength) {
        return bodyLength >= BATCH_HEADER && bodyLength <= MAX_BODY;
    }

    /** Whether {@code body} (its remaining bytes, left unread) matches the header's checksum. */
    static boolean checksumMatches(ByteBuffer body, int checksum) {
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        return (int) crc.getValue() == checksum;
    }

    /** The received-at millis of the last of {@code count} events, reading them from {@code events}. */
    static long lastReceivedMillis(ByteBuffer events, int count) {
        long received = 0;
        for (int i = 0; i < count; i++) {
            received = events.getLong();
            int length = events.getInt();
            events.position(events.position() + length);
        }
        return received;
    }

    /**
     * Decodes the events of a record numbered {@code first} (its {@code count} events in {@code events}) that
     * fall in {@code fromSeq..toSeq} into {@code out}, up to {@code max} in all.
     *
     * @return the next seq wanted
     */
    static long decode(ByteBuffer events, long first, int count, long fromSeq, long toSeq, int max, List<Event> out) {
        long next = fromSeq;
        for (int i = 0; i < count; i++) {
            long received = events.getLong();
            int jsonLength = events.getInt();
            long seq = first + i;
            if (seq >= next && seq <= toSeq && out.size() < max) {
                byte[] json = new byte[jsonLength];
                events.get(json);
                out.add(WireForm.read(json, Instant.ofEpochMilli(received)));
                next = seq + 1;
            } else {
                events.position(events.position() + jsonLength);
            }
        }
        return next;
    }
}
