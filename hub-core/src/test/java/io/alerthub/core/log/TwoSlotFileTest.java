package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoSlotFileTest {

    private static final int SLOT = 32;
    private static final int MAGIC = 0x54455354; // "TEST"

    @TempDir
    Path dir;

    @Test
    void aNewFileHoldsNoValueAndIsCreatedWithItsDirectory() throws IOException {
        Path file = dir.resolve("a/b/value");
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            assertNull(f.value());
            assertEquals(SLOT - 16, f.capacity());
        }
        assertTrue(Files.exists(file));
    }

    @Test
    void theNewestWriteIsTheValue() throws IOException {
        Path file = dir.resolve("value");
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            f.write(longValue(1));
            f.write(longValue(2));
            f.write(longValue(3));
        }
        assertEquals(3, read(file));
    }

    @Test
    void aTornWriteOfTheNewerSlotLeavesThePreviousValue() throws IOException {
        Path file = dir.resolve("value");
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            f.write(longValue(10));     // generation 1: the second slot
            f.write(longValue(20));     // generation 2: the first slot
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[14] ^= 0x01;              // a crash tore the write of 20: half of the first slot is new, half old
        Files.write(file, bytes);
        assertEquals(10, read(file));
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            f.write(longValue(30));     // goes over the torn slot, never over the one holding 10
        }
        assertEquals(30, read(file));
    }

    @Test
    void aWriteCutShortAtTheEndOfTheFileLeavesThePreviousValue() throws IOException {
        Path file = dir.resolve("value");
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            f.write(longValue(10));
            f.write(longValue(20));
            f.write(longValue(30));     // generation 3: the second slot, the end of the file
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(SLOT + 10);
        }
        assertEquals(20, read(file));
    }

    @Test
    void aFileOfAnotherKindHoldsNoValue() throws IOException {
        Path file = dir.resolve("value");
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            f.write(longValue(10));
        }
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC + 1)) {
            assertNull(f.value());
        }
    }

    @Test
    void aPayloadLargerThanASlotIsRefused() throws IOException {
        try (TwoSlotFile f = TwoSlotFile.open(dir.resolve("value"), SLOT, MAGIC)) {
            assertThrows(IllegalArgumentException.class, () -> f.write(ByteBuffer.allocate(SLOT - 15)));
        }
    }

    private static ByteBuffer longValue(long v) {
        return ByteBuffer.allocate(8).putLong(0, v);
    }

    private static long read(Path file) throws IOException {
        try (TwoSlotFile f = TwoSlotFile.open(file, SLOT, MAGIC)) {
            return f.value().getLong();
        }
    }
}
