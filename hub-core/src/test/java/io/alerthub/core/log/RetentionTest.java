package io.alerthub.core.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.core.event.EventDraft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention runs off the append path: on the log's own thread, woken when a segment rolls. */
class RetentionTest {

    /** Well under {@link Retention#PERIOD}: what happens within it was woken, not scheduled. */
    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final LogSettings settings = new LogSettings(FsyncPolicy.BATCH, Duration.ofMillis(20), 50,
                                                         Duration.ofDays(7), 4 * 1024);

    @Test
    void anAppendThatRollsASegmentReturnsWithoutRemovingOneAndTheRetentionThreadDoes() {
        CountDownLatch released = new CountDownLatch(1);
        // The retention thread waits to be released; the wake-ups a roll gave it meanwhile are passed on.
        ThreadFactory heldBack = task -> Thread.ofVirtual().name("event-log-retention").unstarted(() -> {
            awaitUninterruptibly(released);
            LockSupport.unpark(Thread.currentThread());
            task.run();
        });
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, settings, 8, Clock.systemUTC(), "boot-a", heldBack)) {
            try {
                List<Path> seen = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    log.append(drafts(10, "r" + i + "-"));
                    List<Path> now = segments();
                    assertTrue(now.containsAll(seen), "an append removed a segment: " + seen + " -> " + now);
                    seen = now;
                }
                assertTrue(seen.size() > 3, "rolled several times: " + seen);
                assertEquals(1, log.firstSeq(), "nothing removed while the retention thread is held back");
            } finally {
                released.countDown();       // before the log closes: closing waits for the thread
            }
            await().atMost(WOKEN_WITHIN).until(() -> log.firstSeq() > 1);
            log.enforceRetention();         // waits for the thread's pass to have deleted what it took out
            assertTrue(log.headSeq() - log.firstSeq() + 1 >= 50, "at least retention-events kept");
            assertEquals(log.firstSeq(), firstSeqOf(segments().getFirst()), "whole segments, oldest first");
        }
    }

    @Test
    void aRollWakesTheRetentionThread() {
        try (SegmentedEventLog log = SegmentedEventLog.open(dir, settings, 8, Clock.systemUTC(), "boot-a")) {
            long removedUpTo = 0;
            for (int round = 0; round < 2; round++) {
                long before = removedUpTo;
                for (int i = 0; i < 15; i++) {
                    log.append(drafts(10, "w" + round + "-" + i + "-"));
                }
                await().atMost(WOKEN_WITHIN).until(() -> log.firstSeq() > before + 1);
                removedUpTo = log.firstSeq() - 1;
            }
        }
    }

    private static List<EventDraft> drafts(int n, String prefix) {
        List<EventDraft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(EventDraft.builder("sample").id(prefix + i).payloadJson("{\"pad\":\"" + "x".repeat(100) + "\"}")
                            .draft());
        }
        return out;
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long firstSeqOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
