package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.alerthub.core.event.WireForm;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.config.FsyncPolicy;
import io.alerthub.core.config.LogSettings;
import io.alerthub.spi.Event;

/**
 * The event log as append-only segment files: {@code <dir>/<first seq, 20 digits>.log}.
 *
 * <p>A segment starts with an 8-byte magic and holds records; one record is one accepted batch:
 * <pre>
 * int32 body length | int32 CRC-32C of the body | body:
 *   int64 first seq | int32 count | count × (int64 received-at millis | int32 length | event JSON)
 * </pre>
 * A record is written whole or, after a crash, cut whole: on open every record's length and checksum
 * are verified and a torn or corrupt tail is truncated (one log line).
 *
 * <p>Readers see a batch as soon as it is written and committed, without waiting for its fsync (the
 * {@code batch} policy holds the producer's answer, not the readers, until the record is on disk), so a slow
 * disk never delays delivery. A {@code seq} is shown only once a durable {@link SeqReservation} covers it, so
 * after a machine crash that loses what readers saw, numbering goes on above it: a {@code seq} a client saw
 * is never given to another event. Such a jump starts a new segment, so the numbers never used are the gaps
 * between segments ({@link #unassigned(long, long)}).
 * The most recent events are also kept in memory, so lanes near the head and history queries do not
 * touch the disk.
 */
public final class SegmentedEventLog implements EventLog {

    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());
    private static final byte[] MAGIC = "AHLOG01\n".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_HEADER = 8;
    private static final int MAX_RECORD = 512 << 20;
    private static final long INDEX_EVERY = 64 * 1024;
    /** Seqs reserved at a time; the next block is reserved in the background when half is used. */
    static final long RESERVE_BLOCK = 1 << 16;

    private final Path dir;
    private final LogSettings settings;
    private final Clock clock;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object syncLock = new Object();
    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final AtomicReferenceArray<Event> recent;
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition appended = waitLock.newCondition();
    private final Thread flusher;
    private final Thread reserver;
    private final String bootId;
    private final Object reserveLock = new Object();
    private SeqReservation reservation;
    private volatile long reservedDurable;
    private boolean reserveFailing;
    private boolean loaded;

    private Segment active;
    private long writtenHead;
    private volatile long durableHead;
    private volatile long visibleHead;
    private volatile boolean closed;

    private SegmentedEventLog(Path dir, LogSettings settings, int cacheSize, Clock clock, String bootId) {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
        this.bootId = bootId;
        this.recent = new AtomicReferenceArray<>(Math.max(1, cacheSize));
        this.flusher = settings.fsync() == FsyncPolicy.INTERVAL
                ? Thread.ofVirtual().name("event-log-fsync").unstarted(this::flushLoop)
                : null;
        this.reserver = settings.fsync() == FsyncPolicy.NONE
                ? null
                : Thread.ofVirtual().name("event-log-reserve").unstarted(this::reserveLoop);
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
        SegmentedEventLog log = new SegmentedEventLog(dir, settings, cacheSize, clock, bootId);
        try {
            log.load();
        } catch (IOException e) {
            log.close();
            throw new LogException("cannot open the event log in " + dir + ": " + e.getMessage(), e);
        }
        if (log.flusher != null) {
            log.flusher.start();
        }
        if (log.reserver != null) {
            log.reserver.start();
        }
        return log;
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
            ByteBuffer record = encode(first, events);
            if (active.size + record.remaining() > settings.segmentBytes() && active.lastSeq >= active.firstSeq) {
                roll(first);
            }
            long position = active.size;
            try {
                while (record.hasRemaining()) {
                    position += active.channel.write(record, position);
                }
            } catch (IOException e) {
                truncateQuietly(active, active.size);
                throw new LogException("cannot write to the event log: " + e.getMessage(), e);
            }
            active.indexRecord(first, active.size);
            active.size = position;
            active.lastReceivedMillis = events.getLast().receivedAt().toEpochMilli();
            long last = first + events.size() - 1;
            active.lastSeq = last;
            writtenHead = last;
            for (Event e : events) {
                recent.set(slot(e.seq()), e);
            }
        } finally {
            appendLock.unlock();
        }
        return events;
    }

    @Override
    public void commit(long seq) {
        if (settings.fsync() == FsyncPolicy.NONE) {
            publish(seq);
            return;
        }
        if (reservedDurable < seq) {
            reserveUpTo(seq + RESERVE_BLOCK);
        }
        publish(seq);
        if (reservedDurable - seq < RESERVE_BLOCK / 2) {
            LockSupport.unpark(reserver);
        }
        if (settings.fsync() == FsyncPolicy.BATCH) {
            syncTo(seq);
        }
    }

    @Override
    public long unassigned(long afterSeq, long beforeSeq) {
        long count = 0;
        segmentsLock.readLock().lock();
        try {
            Segment previous = null;
            for (Segment s : segments.values()) {
                if (previous != null) {
                    long from = Math.max(previous.lastSeq + 1, afterSeq + 1);
                    long to = Math.min(s.firstSeq - 1, beforeSeq - 1);
                    count += Math.max(0, to - from + 1);
                }
                previous = s;
            }
        } finally {
            segmentsLock.readLock().unlock();
        }
        return count;
    }

    @Override
    public long headSeq() {
        return visibleHead;
    }

    @Override
    public long firstSeq() {
        segmentsLock.readLock().lock();
        try {
            for (Segment s : segments.values()) {
                if (s.lastSeq >= s.firstSeq) {
                    return s.firstSeq;
                }
            }
            return visibleHead + 1;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    @Override
    public List<Event> read(long afterSeq, int max) {
        long visible = visibleHead;
        long from = Math.max(afterSeq + 1, 1);
        if (from > visible || max <= 0) {
            return List.of();
        }
        List<Event> out = new ArrayList<>(Math.min(max, (int) Math.min(visible - from + 1, 1024)));
        long seq = from;
        while (seq <= visible && out.size() < max) {
            Event e = recent.get(slot(seq));
            if (e == null || e.seq() != seq) {
                break;
            }
            out.add(e);
            seq++;
        }
        if (seq <= visible && out.size() < max) {
            readFromDisk(seq, visible, max, out);
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
        long after = 0;
        segmentsLock.readLock().lock();
        try {
            for (Segment s : segments.values()) {
                if (s.lastReceivedMillis >= sinceMillis) {
                    after = s.firstSeq - 1;
                    break;
                }
                after = s.lastSeq;
            }
        } finally {
            segmentsLock.readLock().unlock();
        }
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

    @Override
    public void enforceRetention() {
        long head = visibleHead;
        long oldestMillis = clock.millis() - settings.retentionAge().toMillis();
        segmentsLock.writeLock().lock();
        try {
            while (segments.size() > 1) {
                Segment first = segments.firstEntry().getValue();
                boolean byCount = head - first.lastSeq >= settings.retentionEvents();
                boolean byAge = first.lastReceivedMillis < oldestMillis;
                if (!byCount && !byAge) {
                    return;
                }
                segments.pollFirstEntry();
                first.closeQuietly();
                Files.deleteIfExists(first.path);
                LOG.log(System.Logger.Level.INFO, "event log: removed segment " + first.path.getFileName()
                        + " (events " + first.firstSeq + ".." + first.lastSeq + ") by retention ("
                        + (byCount ? "retention-events" : "retention-age") + ")");
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "event log: cannot remove an old segment: " + e.getMessage());
        } finally {
            segmentsLock.writeLock().unlock();
        }
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
        // Woken, not interrupted: an interrupt during a FileChannel call would close the channel.
        LockSupport.unpark(flusher);
        LockSupport.unpark(reserver);
        waitLock.lock();
        try {
            appended.signalAll();
        } finally {
            waitLock.unlock();
        }
        boolean synced = true;
        segmentsLock.writeLock().lock();
        try {
            for (Segment s : segments.values()) {
                if (s == active && settings.fsync() != FsyncPolicy.NONE) {
                    try {
                        s.channel.force(false);
                    } catch (IOException e) {
                        synced = false;
                        LOG.log(System.Logger.Level.WARNING, "event log: final fsync failed: " + e.getMessage());
                    }
                }
                s.closeQuietly();
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        closeReservation(synced);
    }

    /** After a clean stop nothing beyond the head was shown: the next boot may number on without a gap. */
    private void closeReservation(boolean synced) {
        synchronized (reserveLock) {
            if (reservation == null) {
                return;
            }
            try {
                if (synced && loaded) {
                    reservation.write(writtenHead);
                }
                reservation.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: cannot record the final seq reservation: "
                        + e.getMessage());
            }
            reservation = null;
        }
    }

    private void load() throws IOException {
        Files.createDirectories(dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
        long head = 0;
        for (int i = 0; i < files.size(); i++) {
            Segment s = Segment.open(files.get(i));
            if (s == null) {
                continue;
            }
            segments.put(s.firstSeq, s);
            scan(s);
            head = Math.max(head, s.lastSeq);
        }
        if (segments.isEmpty()) {
            segments.put(1L, Segment.create(dir, 1));
        }
        long eventHead = 0;
        for (Segment s : segments.values()) {
            if (s.lastSeq >= s.firstSeq) {
                eventHead = Math.max(eventHead, s.lastSeq);
            }
        }
        active = segments.lastEntry().getValue();
        reservation = SeqReservation.open(dir, bootId);
        SeqReservation.Found found = reservation.found();
        if (found != null && found.reserved() > head && !found.thisBoot()) {
            long reserved = found.reserved();
            LOG.log(System.Logger.Level.WARNING, "event log: the machine restarted while the hub was running;"
                    + " events up to seq " + reserved + " may have been shown before they were on disk, so"
                    + " numbering goes on at " + (reserved + 1) + " (seq " + (head + 1) + ".." + reserved
                    + " stay unused)");
            Segment jump = Segment.create(dir, reserved + 1);
            segments.put(jump.firstSeq, jump);
            active = jump;
            head = reserved;
        }
        writtenHead = head;
        durableHead = head;
        visibleHead = eventHead;
        reservedDurable = found != null && found.thisBoot() ? Math.max(head, found.reserved()) : head;
        loaded = true;
        long from = Math.max(0, eventHead - recent.length());
        for (Event e : readFromDisk(from + 1, eventHead, recent.length(), new ArrayList<>())) {
            recent.set(slot(e.seq()), e);
        }
    }

    /** Verifies every record of a segment, builds its index, and cuts what follows a bad record. */
    private void scan(Segment s) throws IOException {
        long size = s.channel.size();
        long position = MAGIC.length;
        long expectedSeq = s.firstSeq;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        CRC32C crc = new CRC32C();
        String problem = null;
        while (position < size) {
            if (size - position < RECORD_HEADER) {
                problem = "a torn record header";
                break;
            }
            header.clear();
            readFully(s.channel, header, position);
            header.flip();
            int length = header.getInt();
            int checksum = header.getInt();
            if (length < 12 || length > MAX_RECORD || position + RECORD_HEADER + length > size) {
                problem = length < 12 || length > MAX_RECORD ? "a corrupt record length" : "a torn record";
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(s.channel, body, position + RECORD_HEADER);
            body.flip();
            crc.reset();
            crc.update(body.duplicate());
            if ((int) crc.getValue() != checksum) {
                problem = "a record whose checksum does not match";
                break;
            }
            long first = body.getLong();
            int count = body.getInt();
            if (first < expectedSeq || count <= 0) {
                problem = "a record out of sequence";
                break;
            }
            s.indexRecord(first, position);
            s.lastSeq = first + count - 1;
            s.lastReceivedMillis = lastReceivedMillis(body, count);
            expectedSeq = s.lastSeq + 1;
            position += RECORD_HEADER + length;
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.WARNING, "event log: cut " + problem + " at the end of "
                    + s.path.getFileName() + " (offset " + position + ", " + (size - position)
                    + " bytes dropped; events from seq " + expectedSeq + " were never acknowledged)");
            s.channel.truncate(position);
            s.channel.force(true);
        }
        s.size = position;
    }

    private static long lastReceivedMillis(ByteBuffer body, int count) {
        long received = 0;
        for (int i = 0; i < count; i++) {
            received = body.getLong();
            int length = body.getInt();
            body.position(body.position() + length);
        }
        return received;
    }

    private List<Event> readFromDisk(long fromSeq, long toSeq, int max, List<Event> out) {
        segmentsLock.readLock().lock();
        try {
            Map.Entry<Long, Segment> entry = segments.floorEntry(fromSeq);
            if (entry == null) {
                entry = segments.firstEntry();
            }
            long seq = fromSeq;
            while (entry != null && seq <= toSeq && out.size() < max) {
                Segment s = entry.getValue();
                if (s.lastSeq >= seq) {
                    seq = s.read(seq, toSeq, max, out);
                }
                entry = segments.higherEntry(entry.getKey());
            }
            return out;
        } catch (IOException e) {
            throw new LogException("cannot read the event log: " + e.getMessage(), e);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    private void roll(long firstSeq) {
        Segment next;
        try {
            if (settings.fsync() != FsyncPolicy.NONE) {
                active.channel.force(false);
            }
            next = Segment.create(dir, firstSeq);
        } catch (IOException e) {
            throw new LogException("cannot start a new event log segment: " + e.getMessage(), e);
        }
        segmentsLock.writeLock().lock();
        try {
            segments.put(firstSeq, next);
            active = next;
        } finally {
            segmentsLock.writeLock().unlock();
        }
        enforceRetention();
    }

    private void syncTo(long seq) {
        if (durableHead >= seq) {
            return;
        }
        synchronized (syncLock) {
            if (durableHead >= seq) {
                return;
            }
            long target;
            Segment segment;
            appendLock.lock();
            try {
                target = writtenHead;
                segment = active;
            } finally {
                appendLock.unlock();
            }
            try {
                segment.channel.force(false);
            } catch (IOException e) {
                throw new LogException("cannot fsync the event log: " + e.getMessage(), e);
            }
            durableHead = target;
        }
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

    private void flushLoop() {
        long intervalNanos = settings.fsyncInterval().toNanos();
        while (!closed) {
            LockSupport.parkNanos(this, intervalNanos);
            if (closed) {
                return;
            }
            try {
                syncTo(writtenHeadNow());
            } catch (LogException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: " + e.getMessage());
            }
        }
    }

    /** Keeps at least half a block reserved ahead of the newest written seq, so commits do not wait for it. */
    private void reserveLoop() {
        while (!closed) {
            long head = writtenHeadNow();
            if (reservedDurable - head >= RESERVE_BLOCK / 2) {
                LockSupport.park(this);
                continue;
            }
            try {
                reserveUpTo(head + RESERVE_BLOCK);
                if (reserveFailing) {
                    reserveFailing = false;
                    LOG.log(System.Logger.Level.INFO, "event log: the seq reservation is written again");
                }
            } catch (LogException e) {
                if (!reserveFailing && !closed) {
                    reserveFailing = true;
                    LOG.log(System.Logger.Level.WARNING, "event log: " + e.getMessage() + " (retrying every second)");
                }
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    private void reserveUpTo(long target) {
        synchronized (reserveLock) {
            if (reservedDurable >= target) {
                return;
            }
            if (reservation == null) {
                throw new LogException("the event log is closed", null);
            }
            try {
                reservation.write(target);
            } catch (IOException e) {
                throw new LogException("cannot write the seq reservation: " + e.getMessage(), e);
            }
            reservedDurable = target;
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

    private int slot(long seq) {
        return (int) (seq % recent.length());
    }

    private static ByteBuffer encode(long firstSeq, List<Event> events) {
        int bodyLength = 12;
        for (Event e : events) {
            bodyLength += 12 + e.json().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + bodyLength);
        buf.position(RECORD_HEADER);
        buf.putLong(firstSeq).putInt(events.size());
        for (Event e : events) {
            buf.putLong(e.receivedAt().toEpochMilli()).putInt(e.json().length).put(e.json());
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), RECORD_HEADER, bodyLength);
        buf.putInt(0, bodyLength).putInt(4, (int) crc.getValue());
        buf.position(0);
        return buf;
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + channel);
            }
            at += n;
        }
    }

    /** Makes a new file's name durable; where a directory cannot be opened (not Linux), the OS decides. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done here
        }
    }

    private static void truncateQuietly(Segment s, long size) {
        try {
            s.channel.truncate(size);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "event log: cannot cut a failed write: " + e.getMessage());
        }
    }

    /** One segment file. Appended under the log's append lock; read concurrently. */
    private static final class Segment {
        final Path path;
        final FileChannel channel;
        final long firstSeq;
        final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();
        volatile long lastSeq;
        volatile long size;
        volatile long lastReceivedMillis;
        private long lastIndexed = -INDEX_EVERY;

        private Segment(Path path, FileChannel channel, long firstSeq) {
            this.path = path;
            this.channel = channel;
            this.firstSeq = firstSeq;
            this.lastSeq = firstSeq - 1;
            this.size = MAGIC.length;
        }

        static Segment create(Path dir, long firstSeq) throws IOException {
            Path path = dir.resolve(String.format("%020d.log", firstSeq));
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                                              StandardOpenOption.WRITE);
            ch.write(ByteBuffer.wrap(MAGIC), 0);
            ch.force(true);
            forceDirectory(dir);
            return new Segment(path, ch, firstSeq);
        }

        /** Opens an existing segment, or returns {@code null} (and says why) when it is not one of ours. */
        static Segment open(Path path) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            int n = ch.read(magic, 0);
            long firstSeq = Long.parseLong(path.getFileName().toString().substring(0, 20));
            if (n < MAGIC.length && ch.size() < MAGIC.length) {
                // Created but its magic never made it to disk: start it again.
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(MAGIC), 0);
                ch.force(true);
            } else if (!Arrays.equals(magic.array(), MAGIC)) {
                ch.close();
                LOG.log(System.Logger.Level.WARNING, "event log: ignoring " + path + ": not an AlertHub log segment");
                return null;
            }
            return new Segment(path, ch, Math.max(1, firstSeq));
        }

        void indexRecord(long seq, long position) {
            if (position - lastIndexed >= INDEX_EVERY) {
                index.put(seq, position);
                lastIndexed = position;
            }
        }

        /** Adds events {@code fromSeq..toSeq} held here to {@code out}; returns the next seq wanted. */
        long read(long fromSeq, long toSeq, int max, List<Event> out) throws IOException {
            Map.Entry<Long, Long> start = index.floorEntry(fromSeq);
            long position = start == null ? MAGIC.length : start.getValue();
            long end = size;
            long seq = fromSeq;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            while (position < end && seq <= toSeq && out.size() < max) {
                header.clear();
                readFully(channel, header, position);
                int length = header.getInt(0);
                ByteBuffer body = ByteBuffer.allocate(12);
                readFully(channel, body, position + RECORD_HEADER);
                long first = body.getLong(0);
                int count = body.getInt(8);
                if (first + count - 1 >= seq) {
                    ByteBuffer all = ByteBuffer.allocate(length - 12);
                    readFully(channel, all, position + RECORD_HEADER + 12);
                    all.flip();
                    for (int i = 0; i < count; i++) {
                        long received = all.getLong();
                        int jsonLength = all.getInt();
                        long eventSeq = first + i;
                        if (eventSeq >= seq && eventSeq <= toSeq && out.size() < max) {
                            byte[] json = new byte[jsonLength];
                            all.get(json);
                            out.add(WireForm.read(json, Instant.ofEpochMilli(received)));
                            seq = eventSeq + 1;
                        } else {
                            all.position(all.position() + jsonLength);
                        }
                    }
                }
                position += RECORD_HEADER + length;
            }
            return seq;
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "event log: cannot close " + path + ": " + e.getMessage());
            }
        }
    }
}
