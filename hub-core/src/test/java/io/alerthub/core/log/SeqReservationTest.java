package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The file's bytes, as data directories of earlier versions hold them (architecture.md, the event log). */
class SeqReservationTest {

    @TempDir
    Path dir;

    @Test
    void writesTheDocumentedSlots() throws IOException {
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            r.write(65_536);
            r.write(131_072);
        }
        byte[] file = Files.readAllBytes(dir.resolve(SeqReservation.FILE_NAME));
        byte[] expected = new byte[128];
        System.arraycopy(slot(2, 131_072, "boot-a"), 0, expected, 0, 64);
        System.arraycopy(slot(1, 65_536, "boot-a"), 0, expected, 64, 64);
        assertArrayEquals(expected, file);
    }

    @Test
    void readsAFileWrittenByAnEarlierVersion() throws IOException {
        byte[] file = new byte[128];
        System.arraycopy(slot(7, 900, "boot-a"), 0, file, 64, 64);
        System.arraycopy(slot(6, 800, "boot-a"), 0, file, 0, 64);
        Files.write(dir.resolve(SeqReservation.FILE_NAME), file);
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            assertEquals(new SeqReservation.Found(900, true), r.found());
            r.write(1_000);             // generation 8: over the older slot
        }
        byte[] after = Files.readAllBytes(dir.resolve(SeqReservation.FILE_NAME));
        assertArrayEquals(slot(8, 1_000, "boot-a"), java.util.Arrays.copyOfRange(after, 0, 64));
    }

    /** {@code int32 magic "AHR1" | int64 generation | int64 reserved | int8 boot id length | boot id | 0… | CRC-32C}. */
    private static byte[] slot(long generation, long reserved, String bootId) {
        byte[] id = bootId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(0x41485231).putLong(generation).putLong(reserved).put((byte) id.length).put(id);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 60);
        b.putInt(60, (int) crc.getValue());
        return b.array();
    }
}
