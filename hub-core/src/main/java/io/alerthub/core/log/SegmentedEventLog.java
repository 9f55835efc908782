package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

/**
 * The event log as append-only segment files ({@link Segment}, in {@link RecordFormat}). This class numbers the
 * events, writes each batch as one record, decides what readers see, and reads; each other concern is a class of
 * its own:
 * <ul>
 *   <li>{@link Segments}: the files, recovered at open, and the lock that keeps a file open under its readers;</li>
 *   <li>{@link GroupCommit}: when a record reaches the disk, by the fsync policy;</li>
 *   <li>{@link SeqReserver}: the durable reservation a {@code seq} needs before a reader may see it;</li>
 *   <li>{@link RecentEvents}: the newest events in memory;</li>
 *   <li>{@link Retention}: removing old segments, on its own thread.</li>
 * </ul>
 *
 * <p>Readers see a batch as soon as it is written and committed, without waiting for its fsync (the {@code batch}
 * policy holds the producer's answer, not the readers, until the record is on disk), so a slow disk never delays
 * delivery. A {@code seq} is shown only once a durable reservation covers it, so after a machine crash that loses
 * what readers saw, numbering goes on above it: a {@code seq} a client saw is never given to another event. Such a
 * jump starts a new segment, so the numbers never used are the gaps between segments
 * ({@link #unassigned(long, long)}).
 *
 * <p>The append path (write, commit) does no housekeeping: a roll only wakes {@link Retention}.
 */
public final class SegmentedEventLog implements EventLog {

    private final Path dir;
    private final LogSettings settings;
    private final Segments segments;
    private final RecentEvents recent;
    private final GroupCommit commits;
    private final SeqReserver reserver;
    private final Retention retention;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition appended = waitLock.newCondition();

    private Segment active;
    private long writtenHead;
    /** Records written since the log was opened; moved under the append lock. */
    private volatile long records;
    private volatile long visibleHead;
    private volatile boolean closed;

    private SegmentedEventLog(Path dir, LogSettings settings, int cacheSize, Clock clock, Segments segments,
                              SeqReserver reserver, long head, ThreadFactory retentionThreads) {
        this.dir = dir;
        this.settings = settings;
        this.segments = segments;
        this.reserver = reserver;
        this.active = segments.last();
        this.writtenHead = head;
        this.visibleHead = segments.lastEventSeq();
        this.recent = new RecentEvents(cacheSize);
        this.commits = new GroupCommit(settings.fsync(), settings.fsyncInterval(), this::written, head);
        this.retention = new Retention(segments, this::headSeq, settings, clock, retentionThreads);
    }

    /**
     * Opens (or creates) the log in {@code dir}, checking every record and cutting a torn tail.
     *
     * @param cacheSize how many of the newest events to keep in memory
     */
    public static SegmentedEventLog open(Path dir, LogSettings settings, int cacheSize, Clock clock) {
        return open(dir, settings, cacheSize, clock, SeqReservation.currentBootId());
    }

    /** {@link #open(Path, LogSettings, int, Clock)} as if the machine's boot id were {@code bootId}. */
    static SegmentedEventLog open(Path dir, LogSettings settings, int cacheSize, Clock clock, String bootId) {
        return open(dir, settings, cacheSize, clock, bootId, Retention.threads());
    }

    /**
     * Opens (or creates) a local copy of a log numbered elsewhere (cluster mode's stream, whose sequence is the
     * {@code seq}), written only by {@link #appendNumbered(List)}. No fsync and no seq reservation: the engine holds
     * the events durably and numbers them, so after a crash this copy is cut back to its last whole record and
     * fetched again from there.
     */
    public static SegmentedEventLog openCopy(Path dir, LogSettings settings, int cacheSize, Clock clock) {
        LogSettings copy = new LogSettings(FsyncPolicy.NONE, settings.fsyncInterval(), settings.retentionEvents(),
                                           settings.retentionAge(), settings.segmentBytes());
        return open(dir, copy, cacheSize, clock, SeqReservation.currentBootId(), Retention.threads(), false);
    }

    /**
     * {@link #open(Path, LogSettings, int, Clock, String)} with retention's thread made by {@code retentionThreads}
     * (a test holds it back to see what the append path does alone).
     */
    static SegmentedEventLog open(Path dir, LogSettings settings, int cacheSize, Clock clock, String bootId,
                                  ThreadFactory retentionThreads) {
        return open(dir, settings, cacheSize, clock, bootId, retentionThreads, true);
    }

    private static SegmentedEventLog open(Path dir, LogSettings settings, int cacheSize, Clock clock, String bootId,
                                          ThreadFactory retentionThreads, boolean ownNumbering) {
        Segments segments = null;
        SeqReserver reserver = null;
        try {
            Files.createDirectories(dir);
            segments = Segments.open(dir);
            if (segments.isEmpty()) {
                segments.add(Segment.create(dir, 1));
            }
            long head = segments.numberedUpTo();
            reserver = SeqReserver.open(dir, bootId, settings.fsync());
            long resume = ownNumbering ? reserver.resumeAfter(head) : head;
            if (resume > head) {
                segments.add(Segment.create(dir, resume + 1));
            }
            SegmentedEventLog log = new SegmentedEventLog(dir, settings, cacheSize, clock, segments, reserver, resume,
                                                          retentionThreads);
            log.fillCache();
            log.commits.start();
            log.reserver.start(resume, log::writtenHeadNow);
            log.retention.start();
            return log;
        } catch (IOException e) {
            abandon(segments, reserver);
            throw new LogException("cannot open the event log in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abandon(segments, reserver);
            throw e;
        }
    }

    /** Closes what a failed open had opened, recording nothing. */
    private static void abandon(Segments segments, SeqReserver reserver) {
        if (reserver != null) {
            reserver.close(0, false);
        }
        if (segments != null) {
            segments.closeAll();
        }
    }

    @Override
    public List<Event> write(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<Event> events = new ArrayList<>(drafts.size());
        appendLock.lock();
        try {
            if (closed) {
                throw new LogException("the event log is closed", null);
            }
            long first = writtenHead + 1;
            for (int i = 0; i < drafts.size(); i++) {
                events.add(drafts.get(i).withSeq(first + i));
            }
            appendRecord(events);
        } finally {
            appendLock.unlock();
        }
        return events;
    }

    /**
     * Appends events numbered elsewhere, as one record, and makes them visible: a log opened with
     * {@link #openCopy}. Their seqs must follow one another; events at or below the head are already here and are
     * left out. Above {@code head + 1} a new segment starts at the first one, so the numbers in between are a gap
     * between segments ({@link #unassigned(long, long)} counts them; the copy's owner says what they mean).
     *
     * @throws LogException when the record cannot be written (none of it is then visible)
     */
    public void appendNumbered(List<Event> events) {
        long last;
        appendLock.lock();
        try {
            if (closed) {
                throw new LogException("the event log is closed", null);
            }
            int skip = 0;
            while (skip < events.size() && events.get(skip).seq() <= writtenHead) {
                skip++;
            }
            if (skip == events.size()) {
                return;
            }
            List<Event> fresh = skip == 0 ? events : events.subList(skip, events.size());
            last = fresh.getLast().seq();
            if (last - fresh.getFirst().seq() + 1 != fresh.size()) {
                throw new IllegalArgumentException("seq " + fresh.getFirst().seq() + ".." + last
                                                           + " do not follow one another");
            }
            appendRecord(fresh);
        } finally {
            appendLock.unlock();
        }
        commit(last);
    }

    /**
     * Writes events numbered {@code first..} (one after another, from above the head) as one record into the active
     * segment, after a roll when it is full or when the numbers jump; under the append lock.
     */
    private void appendRecord(List<Event> events) {
        long first = events.getFirst().seq();
        long last = events.getLast().seq();
        ByteBuffer record = RecordFormat.encode(first, events);
        if (first > writtenHead + 1 || (active.size() + record.remaining() > settings.segmentBytes()
                && !active.isEmpty())) {
            roll(first);
        }
        active.append(record, first, last, events.getLast().receivedAt().toEpochMilli());
        writtenHead = last;
        records++;
        for (Event e : events) {
            recent.put(e);
        }
    }

    @Override
    public void commit(long seq) {
        reserver.cover(seq);
        publish(seq);
        commits.awaitDurable(seq);
    }

    /** Records (one per accepted request or batch) written since the log was opened: for the metrics. */
    public long records() {
        return records;
    }

    /**
     * fsyncs of records since the log was opened (none under the {@code none} policy): for the metrics. Over
     * {@link #records()}, how many records an fsync carries.
     */
    public long fsyncs() {
        return commits.forces();
    }

    @Override
    public long unassigned(long afterSeq, long beforeSeq) {
        return segments.unassigned(afterSeq, beforeSeq);
    }

    @Override
    public long headSeq() {
        return visibleHead;
    }

    @Override
    public long firstSeq() {
        return segments.firstEventSeq(visibleHead + 1);
    }

    @Override
    public List<Event> read(long afterSeq, int max) {
        long visible = visibleHead;
        long from = Math.max(afterSeq + 1, 1);
        if (from > visible || max <= 0) {
            return List.of();
        }
        List<Event> out = new ArrayList<>(Math.min(max, (int) Math.min(visible - from + 1, 1024)));
        long next = recent.copy(from, visible, max, out);
        if (next <= visible && out.size() < max) {
            segments.read(next, visible, max, out);
        }
        return out;
    }

    @Override
    public boolean awaitAfter(long afterSeq, Duration timeout) throws InterruptedException {
        if (visibleHead > afterSeq) {
            return true;
        }
        long nanos = timeout.toNanos();
        waitLock.lock();
        try {
            while (visibleHead <= afterSeq && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = appended.awaitNanos(nanos);
            }
            return visibleHead > afterSeq;
        } finally {
            waitLock.unlock();
        }
    }

    @Override
    public void forEachSince(Instant since, Consumer<Event> action) {
        long sinceMillis = since.toEpochMilli();
        long after = segments.afterSegmentsOlderThan(sinceMillis);
        while (true) {
            List<Event> chunk = read(after, 4096);
            if (chunk.isEmpty()) {
                return;
            }
            for (Event e : chunk) {
                if (e.receivedAt().toEpochMilli() >= sinceMillis) {
                    action.accept(e);
                }
            }
            after = chunk.getLast().seq();
        }
    }

    /** Removes what retention no longer keeps, now, on the calling thread (its own thread does so by itself). */
    @Override
    public void enforceRetention() {
        retention.enforce();
    }

    @Override
    public void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            appendLock.unlock();
        }
        retention.close();
        boolean synced = commits.close();
        waitLock.lock();
        try {
            appended.signalAll();
        } finally {
            waitLock.unlock();
        }
        segments.closeAll();
        // After a clean stop nothing beyond the head was shown: the next boot may number on without a gap.
        reserver.close(writtenHeadNow(), synced);
    }

    private void fillCache() {
        long head = visibleHead;
        List<Event> newest = new ArrayList<>();
        segments.read(Math.max(0, head - recent.capacity()) + 1, head, recent.capacity(), newest);
        newest.forEach(recent::put);
    }

    private void roll(long firstSeq) {
        Segment next;
        try {
            commits.sealed(active);
            next = Segment.create(dir, firstSeq);
        } catch (IOException e) {
            throw new LogException("cannot start a new event log segment: " + e.getMessage(), e);
        }
        segments.add(next);
        active = next;
        retention.wake();
    }

    private void publish(long upTo) {
        if (upTo <= visibleHead) {
            return;
        }
        waitLock.lock();
        try {
            if (upTo > visibleHead) {
                visibleHead = upTo;
            }
            appended.signalAll();
        } finally {
            waitLock.unlock();
        }
    }

    private GroupCommit.Written written() {
        appendLock.lock();
        try {
            return new GroupCommit.Written(active, writtenHead);
        } finally {
            appendLock.unlock();
        }
    }

    private long writtenHeadNow() {
        appendLock.lock();
        try {
            return writtenHead;
        } finally {
            appendLock.unlock();
        }
    }
}
