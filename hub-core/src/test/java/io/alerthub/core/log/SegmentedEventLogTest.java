package io.alerthub.core.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.alerthub.core.event.EventDraft;
import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.spi.Event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentedEventLogTest {

    @TempDir
    Path dir;

    private static LogSettings settings(FsyncPolicy fsync, long segmentBytes, long retentionEvents, Duration age) {
        return new LogSettings(fsync, Duration.ofMillis(20), retentionEvents, age, segmentBytes);
    }

    private static List<EventDraft> drafts(int n, String prefix) {
        List<EventDraft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(EventDraft.builder("sample").characteristicId(i).id(prefix + i)
                            .payloadJson("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}").draft());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(FsyncPolicy.class)
    void appendsNumbersAndReadsBackAcrossSegmentsAndRestarts(FsyncPolicy fsync) {
        LogSettings s = settings(fsync, 8 * 1024, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            for (int batch = 0; batch < 20; batch++) {
                List<Event> written = log.append(drafts(10, "b" + batch + "-"));
                assertEquals(batch * 10L + 1, written.getFirst().seq());
            }
            assertEquals(200, log.headSeq());
            assertTrue(segments().size() > 3, "rolled into several segments: " + segments());
            assertReadsAll(log, 200);
        }
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            assertEquals(200, log.headSeq());
            assertEquals(1, log.firstSeq());
            assertReadsAll(log, 200);
            assertEquals(201, log.append(drafts(1, "after-")).getFirst().seq(), "numbering goes on after a restart");
        }
    }

    @Test
    void aCopyTakesEventsNumberedElsewhereAndAJumpIsAGapBetweenSegments() {
        LogSettings s = settings(FsyncPolicy.BATCH, 1024 * 1024, 1_000_000, Duration.ofDays(7));
        List<EventDraft> d = drafts(11, "copy-");
        try (SegmentedEventLog copy = SegmentedEventLog.openCopy(dir, s, 16, Clock.systemUTC())) {
            copy.appendNumbered(List.of(d.get(5).withSeq(5), d.get(6).withSeq(6))); // an empty copy starts anywhere
            copy.appendNumbered(List.of(d.get(6).withSeq(6), d.get(7).withSeq(7))); // 6 is there already
            copy.appendNumbered(List.of(d.get(10).withSeq(10)));                  // 8 and 9 are not in the source
            assertEquals(10, copy.headSeq());
            assertEquals(5, copy.firstSeq());
            assertEquals(List.of(5L, 6L, 7L, 10L), copy.read(0, 100).stream().map(Event::seq).toList());
            assertEquals(2, copy.unassigned(7, 10), "the jump is a gap between segments");
            assertThrows(IllegalArgumentException.class,
                         () -> copy.appendNumbered(List.of(d.get(0).withSeq(11), d.get(1).withSeq(13))));
        }
        try (SegmentedEventLog copy = SegmentedEventLog.openCopy(dir, s, 16, Clock.systemUTC())) {
            assertEquals(10, copy.headSeq(), "reopened where it was, without a seq reservation of its own");
            assertEquals(List.of(5L, 6L, 7L, 10L), copy.read(0, 100).stream().map(Event::seq).toList());
            assertEquals(List.of(10L), copy.read(7, 100).stream().map(Event::seq).toList());
        }
    }

    private static void assertReadsAll(SegmentedEventLog log, int count) {
        long after = 0;
        int seen = 0;
        while (true) {
            List<Event> chunk = log.read(after, 7);
            if (chunk.isEmpty()) {
                break;
            }
            for (Event e : chunk) {
                assertEquals(after + 1, e.seq());
                after = e.seq();
                seen++;
            }
        }
        assertEquals(count, seen);
        // a read from the middle, past the in-memory cache, goes to disk
        List<Event> middle = log.read(95, 3);
        assertEquals(List.of(96L, 97L, 98L), middle.stream().map(Event::seq).toList());
        assertEquals(5, middle.getFirst().payload().get("i").asInt());
    }

    @Test
    void aTornLastRecordIsCutOnOpenAndTheLogGoesOn() throws IOException {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            log.append(drafts(3, "a"));
            log.append(drafts(3, "b"));
        }
        Path segment = segments().getFirst();
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 50);     // the second batch lost its end: a crash mid-write
        }
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            assertEquals(3, log.headSeq(), "the torn batch is gone as a whole");
            assertEquals(3, log.read(0, 100).size());
            assertEquals(4, log.append(drafts(1, "c")).getFirst().seq());
            assertEquals(4, log.read(0, 100).size());
        }
    }

    @Test
    void concurrentBatchCommitsShareFsyncsAndAllReturnDurable() throws Exception {
        LogSettings s = settings(FsyncPolicy.BATCH, 64 * 1024, 1_000_000, Duration.ofDays(7));
        int producers = 64;
        int perProducer = 25;
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String prefix = "p" + p + "-";
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            long seq = log.append(drafts(1, prefix + i + "-")).getFirst().seq();
                            assertTrue(log.headSeq() >= seq, "visible once committed");
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) {
                assertTrue(t.join(Duration.ofSeconds(60)), "a batch commit never returned");
            }
            assertEquals(List.of(), failures);
            assertEquals(producers * perProducer, log.headSeq());
        }
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            long after = 0;
            for (List<Event> chunk; !(chunk = log.read(after, 100)).isEmpty(); after = chunk.getLast().seq()) {
                for (Event e : chunk) {
                    assertTrue(ids.add(e.id().orElseThrow()), "each event once: " + e.id());
                }
            }
            assertEquals(producers * perProducer, after);
            assertTrue(ids.contains("p0-0-0") && ids.contains("p" + (producers - 1) + "-" + (perProducer - 1) + "-0"));
        }
    }

    @Test
    void aCorruptRecordIsDetectedByItsChecksum() throws IOException {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            log.append(drafts(2, "a"));
            log.append(drafts(2, "b"));
        }
        Path segment = segments().getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 10] ^= 0x55;        // flip bits inside the last record's JSON
        Files.write(segment, bytes);
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            assertEquals(2, log.headSeq());
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws IOException {
        LogSettings s = settings(FsyncPolicy.NONE, 1 << 20, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            log.append(drafts(2, "a"));
        }
        Path segment = segments().getFirst();
        Files.write(segment, new byte[] {0x7f, 0x7f, 0x7f}, StandardOpenOption.APPEND);
        long good = Files.size(segment) - 3;
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 16, Clock.systemUTC())) {
            assertEquals(2, log.headSeq());
        }
        assertEquals(good, Files.size(segment));
    }

    @Test
    void retentionByCountRemovesWholeOldSegmentsAndReadersSkipAhead() {
        LogSettings s = settings(FsyncPolicy.NONE, 4 * 1024, 100, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC())) {
            for (int i = 0; i < 40; i++) {
                log.append(drafts(10, "r" + i + "-"));
            }
            log.enforceRetention();
            assertTrue(log.firstSeq() > 1, "old segments removed");
            assertTrue(log.headSeq() - log.firstSeq() + 1 >= 100, "at least retention-events kept");
            List<Event> fromStart = log.read(0, 5);
            assertEquals(log.firstSeq(), fromStart.getFirst().seq(), "a reader behind retention starts at the oldest");
        }
    }

    @Test
    void retentionByAge() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        LogSettings s = settings(FsyncPolicy.NONE, 4 * 1024, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, clock)) {
            List<EventDraft> old = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                old.add(EventDraft.builder("sample").receivedAt(now.get()).payloadJson("{\"pad\":\"" + "x".repeat(200) + "\"}")
                                .draft());
            }
            for (EventDraft d : old) {
                log.append(List.of(d));
            }
            now.set(now.get().plus(Duration.ofDays(8)));
            log.append(List.of(EventDraft.builder("sample").receivedAt(now.get()).payloadJson("{}").draft()));
            log.enforceRetention();
            // Retention removes whole segments: only the active one (with the fresh event) is left.
            long activeFirst = Long.parseLong(segments().getLast().getFileName().toString().substring(0, 20));
            assertTrue(activeFirst > 1);
            assertEquals(1, segments().size());
            assertEquals(activeFirst, log.firstSeq());
        }
    }

    @Test
    void readersDoNotSeeAWrittenBatchBeforeItIsCommitted() throws InterruptedException {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC())) {
            List<Event> written = log.write(drafts(2, "w"));
            assertEquals(0, log.headSeq());
            assertTrue(log.read(0, 10).isEmpty());
            assertFalse(log.awaitAfter(0, Duration.ofMillis(50)));
            log.commit(written.getLast().seq());
            assertTrue(log.awaitAfter(0, Duration.ofMillis(50)));
            assertEquals(2, log.read(0, 10).size());
        }
    }

    @Test
    void aProcessCrashLeavesNoGapInTheNumbering() {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        SegmentedEventLog crashed = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-a");
        try {
            crashed.append(drafts(5, "a"));
            // Not closed: the process died. Same boot, so the page cache kept every written event.
            try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-a")) {
                assertEquals(5, log.headSeq());
                assertEquals(6, log.append(drafts(1, "b")).getFirst().seq());
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void aCleanStopLeavesNoGapEvenAfterTheMachineRestarts() {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-a")) {
            log.append(drafts(3, "a"));
        }
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-b")) {
            assertEquals(4, log.append(drafts(1, "b")).getFirst().seq());
        }
    }

    @ParameterizedTest
    @EnumSource(value = FsyncPolicy.class, names = {"BATCH", "INTERVAL"})
    void afterAMachineCrashNoSeqAReaderMayHaveSeenIsGivenToAnotherEvent(FsyncPolicy fsync) throws IOException {
        LogSettings s = settings(fsync, 1 << 20, 1_000_000, Duration.ofDays(7));
        SegmentedEventLog before = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-a");
        SegmentedEventLog after = null;
        SegmentedEventLog again = null;
        try {
            before.append(drafts(3, "a"));
            long durableSize = Files.size(segments().getFirst());
            before.append(drafts(4, "b"));
            assertEquals(7, before.read(0, 100).size(), "a reader saw seq 1..7");
            // The machine crashed: what the disk did not hold yet (seq 4..7) is gone.
            try (FileChannel ch = FileChannel.open(segments().getFirst(), StandardOpenOption.WRITE)) {
                ch.truncate(durableSize);
            }
            after = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-b");
            assertEquals(3, after.headSeq());
            long next = after.append(drafts(1, "c")).getFirst().seq();
            assertTrue(next > 7, "numbering goes on above every seq that was shown: " + next);
            assertEquals(next, Long.parseLong(segments().getLast().getFileName().toString().substring(0, 20)),
                         "the jump starts a segment of its own");
            assertEquals(List.of(1L, 2L, 3L, next), after.read(0, 100).stream().map(Event::seq).toList());
            assertEquals(next - 4, after.unassigned(3, next), "the skipped numbers are known as never used");
            assertEquals(next - 6, after.unassigned(5, next), "counted from a cursor inside the gap too");
            assertEquals(0, after.unassigned(0, 4));
            // Stopped again (a crash, same boot) before anything else: numbering does not fall back.
            again = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-b");
            assertEquals(next, again.headSeq());
            assertEquals(next + 1, again.append(drafts(1, "d")).getFirst().seq());
        } finally {
            before.close();
            if (after != null) {
                after.close();
            }
            if (again != null) {
                again.close();
            }
        }
    }

    @Test
    void aJumpIsKeptWhenTheHubStopsBeforeItsFirstNewEvent() {
        LogSettings s = settings(FsyncPolicy.BATCH, 1 << 20, 1_000_000, Duration.ofDays(7));
        SegmentedEventLog before = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-a");
        before.append(drafts(2, "a"));
        // The machine crashed; the next boot opens the log and stops cleanly without a new event.
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-b")) {
            assertEquals(2, log.headSeq(), "readers see the events there are");
            assertTrue(log.read(2, 10).isEmpty());
        }
        long jumpedTo = Long.parseLong(segments().getLast().getFileName().toString().substring(0, 20));
        assertTrue(jumpedTo > 2);
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 8, Clock.systemUTC(), "boot-c")) {
            assertEquals(jumpedTo, log.append(drafts(1, "b")).getFirst().seq());
        } finally {
            before.close();
        }
    }

    @Test
    void aTornReservationWriteLeavesThePreviousOneReadable() throws IOException {
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            assertEquals(null, r.found());
            r.write(10);
            r.write(20);
        }
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            assertEquals(new SeqReservation.Found(20, true), r.found());
        }
        try (SeqReservation r = SeqReservation.open(dir, "boot-b")) {
            assertEquals(new SeqReservation.Found(20, false), r.found());
        }
        try (SeqReservation r = SeqReservation.open(dir, "")) {
            assertEquals(new SeqReservation.Found(20, false), r.found(), "an unknown boot id is never this boot");
        }
        Path file = dir.resolve(SeqReservation.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x01;      // the second write (generation 2, first slot) was torn
        Files.write(file, bytes);
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            assertEquals(new SeqReservation.Found(10, true), r.found());
            r.write(30);        // the torn slot is the one written next
        }
        try (SeqReservation r = SeqReservation.open(dir, "boot-a")) {
            assertEquals(new SeqReservation.Found(30, true), r.found());
        }
    }

    @Test
    void forEachSinceWalksTheRecentEvents() {
        LogSettings s = settings(FsyncPolicy.NONE, 2 * 1024, 1_000_000, Duration.ofDays(7));
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, s, 4, Clock.systemUTC())) {
            for (int i = 0; i < 30; i++) {
                log.append(List.of(EventDraft.builder("sample").receivedAt(t0.plusSeconds(i)).payloadJson("{\"p\":\""
                        + "y".repeat(150) + "\"}").draft()));
            }
            List<Long> seen = new ArrayList<>();
            log.forEachSince(t0.plusSeconds(25), e -> seen.add(e.seq()));
            assertEquals(List.of(26L, 27L, 28L, 29L, 30L), seen);
        }
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
