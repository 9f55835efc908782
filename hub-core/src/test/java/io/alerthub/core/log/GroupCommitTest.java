package io.alerthub.core.log;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.core.event.EventDraft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code batch} policy's group commit: concurrent commits share fsyncs, none returns before an fsync that covers
 * its record has ended, and none waits for more than that one.
 */
class GroupCommitTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final LogSettings BATCH = new LogSettings(FsyncPolicy.BATCH, Duration.ofMillis(100), 1_000_000,
                                                             Duration.ofDays(7), 64L << 20);

    @TempDir
    Path dir;

    private static List<EventDraft> event(String id) {
        return List.of(EventDraft.builder("sample").characteristicId(1).id(id).payloadJson("{\"v\":1}").draft());
    }

    /** What a caller saw when its commit returned. */
    private record Ack(long seq, long recordEnd, long durableEnd) {
    }

    @Test
    void theCallersOfOneFsyncReturnWhenItEndsAndThoseWrittenMeanwhileShareTheNext() {
        int each = 32;
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (WatchedDisk disk = WatchedDisk.install();
             SegmentedEventLog log = SegmentedEventLog.open(dir, BATCH, 16, Clock.systemUTC())) {
            disk.hold();
            // The first round: records written, then committed by one caller each; the first caller's fsync covers
            // them all, and it is held.
            long[] ends = new long[each + 1];
            for (int i = 1; i <= each; i++) {
                log.write(event("first-" + i));
                ends[i] = disk.writtenEnd();
            }
            for (int i = 1; i <= each; i++) {
                long seq = i;
                Thread.ofVirtual().start(() -> {
                    try {
                        log.commit(seq);
                        acks.add(new Ack(seq, ends[(int) seq], disk.durableEnd()));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            await().atMost(WITHIN).until(() -> disk.fsyncsStarted() == 1);
            // The second round: appended while that fsync is under way.
            int writesBefore = disk.writes();
            for (int j = 1; j <= each; j++) {
                String id = "second-" + j;
                Thread.ofVirtual().start(() -> {
                    try {
                        long seq = log.append(event(id)).getFirst().seq();
                        acks.add(new Ack(seq, disk.lastWriteEndOfThisThread(), disk.durableEnd()));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            await().atMost(WITHIN).until(() -> disk.writes() == writesBefore + each);
            assertEquals(List.of(), acks, "no commit returns before its fsync has ended");
            assertEquals(1, disk.fsyncsStarted(), "one fsync for the first round, the next waits for it");

            disk.release();
            await().atMost(WITHIN).until(() -> acks.size() >= each);
            assertEquals(seqs(1, each), seqsOf(acks), "the first round returns while the second fsync is held");
            await().atMost(WITHIN).until(() -> disk.fsyncsStarted() == 2);

            disk.release();
            await().atMost(WITHIN).until(() -> acks.size() + failures.size() == 2 * each);
            assertEquals(List.of(), failures);
            assertEquals(seqs(1, 2 * each), seqsOf(acks));
            assertEquals(2, disk.fsyncsStarted(), "64 commits, 2 fsyncs");
            for (Ack a : acks) {
                assertTrue(a.durableEnd() >= a.recordEnd(), "seq " + a.seq() + " returned before an fsync covered it");
            }
            disk.stopHolding();
        }
    }

    @Test
    void manyConcurrentAppendsShareFsyncsAndEachReturnsOnlyOnceCovered() throws InterruptedException {
        int producers = 64;
        int perProducer = 50;
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (WatchedDisk disk = WatchedDisk.install();
             SegmentedEventLog log = SegmentedEventLog.open(dir, BATCH, 16, Clock.systemUTC())) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String prefix = "p" + p + "-";
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            long seq = log.append(event(prefix + i)).getFirst().seq();
                            acks.add(new Ack(seq, disk.lastWriteEndOfThisThread(), disk.durableEnd()));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : threads) {
                assertTrue(t.join(WITHIN), "a commit never returned");
            }
            assertEquals(List.of(), failures);
            int appends = producers * perProducer;
            assertEquals(seqs(1, appends), seqsOf(acks));
            for (Ack a : acks) {
                assertTrue(a.durableEnd() >= a.recordEnd(), "seq " + a.seq() + " returned before an fsync covered it");
            }
            // 64 callers at a time: while one fsync is under way the others write and wait for the next.
            assertTrue(disk.fsyncsStarted() <= appends / 2,
                       appends + " appends, " + disk.fsyncsStarted() + " fsyncs: they were not shared");
            assertEquals(disk.fsyncsStarted(), log.fsyncs(), "the metric counts every fsync");
            assertEquals(appends, log.records());
        }
    }

    private static Set<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Long> seqsOf(List<Ack> acks) {
        synchronized (acks) {
            return acks.stream().map(Ack::seq).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
