package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A segment file and its record format: what is written reads back, and recovery keeps exactly the whole records. */
class SegmentTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void recordsReadBackAsWrittenAfterReopening() throws IOException {
        List<Event> written = new ArrayList<>();
        Segment s = Segment.create(dir, 1);
        long seq = 1;
        // ~1,000 records of 1 to 5 events: well over the index's 64 KiB spacing, so reads start from the index
        for (int r = 0; r < 1_000; r++) {
            List<Event> batch = events(seq, 1 + r % 5);
            append(s, batch);
            written.addAll(batch);
            seq += batch.size();
        }
        s.closeQuietly();

        Segment reopened = Segment.open(dir.resolve(String.format("%020d.log", 1)));
        try {
            assertEquals(1, reopened.firstSeq);
            assertEquals(written.size(), reopened.lastSeq);
            assertEquals(written.getLast().receivedAt().toEpochMilli(), reopened.lastReceivedMillis);
            for (long from : new long[] {1, 2, 777, 2_000, written.size()}) {
                List<Event> out = new ArrayList<>();
                long next = reopened.read(from, written.size(), 7, out);
                List<Event> expected = written.subList((int) from - 1, (int) Math.min(from - 1 + 7, written.size()));
                assertEquals(expected.size(), out.size(), "from " + from);
                for (int i = 0; i < out.size(); i++) {
                    assertEquals(expected.get(i).seq(), out.get(i).seq());
                    assertEquals(expected.get(i).receivedAt(), out.get(i).receivedAt());
                    assertArrayEquals(expected.get(i).json(), out.get(i).json());
                }
                assertEquals(expected.getLast().seq() + 1, next);
            }
        } finally {
            reopened.closeQuietly();
        }
    }

    @Test
    void aTornLastRecordIsCutWholeWhereverTheCrashCameDuringItsWrite() throws IOException {
        Segment s = Segment.create(dir, 1);
        append(s, events(1, 2));
        long whole = s.size();
        append(s, events(3, 3));
        long full = s.size();
        s.closeQuietly();
        Path written = dir.resolve(String.format("%020d.log", 1));
        for (long cut = whole + 1; cut < full; cut++) {
            Path torn = Files.createDirectory(dir.resolve("cut-" + cut)).resolve(written.getFileName());
            Files.copy(written, torn);
            try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            Segment recovered = Segment.open(torn);
            try {
                assertEquals(2, recovered.lastSeq, "cut at " + cut);
                assertEquals(whole, recovered.size(), "cut at " + cut);
                assertEquals(whole, Files.size(torn), "the torn bytes are gone from the file, cut at " + cut);
            } finally {
                recovered.closeQuietly();
            }
        }
    }

    @Test
    void aFileThatIsNotASegmentIsLeftAlone() throws IOException {
        Path other = dir.resolve(String.format("%020d.log", 1));
        Files.writeString(other, "not a log segment, but long enough");
        assertNull(Segment.open(other));
        assertEquals("not a log segment, but long enough", Files.readString(other));
    }

    private static List<Event> events(long firstSeq, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seq = firstSeq + i;
            out.add(EventDraft.builder("sample").receivedAt(T0.plusMillis(seq)).id("e" + seq)
                            .payloadJson("{\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(40) + "\"}").draft().withSeq(seq));
        }
        return out;
    }

    private static void append(Segment s, List<Event> batch) {
        ByteBuffer record = RecordFormat.encode(batch.getFirst().seq(), batch);
        s.append(record, batch.getFirst().seq(), batch.getLast().seq(), batch.getLast().receivedAt().toEpochMilli());
    }
}
