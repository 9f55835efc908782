package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.alerthub.spi.Event;

/**
 * One segment file, {@code <first seq, 20 digits>.log}, in {@link RecordFormat}. Appended by one writer at a time
 * (the log's append lock); read concurrently. A sparse index (one entry per {@link #INDEX_EVERY} bytes) lets a
 * read start near the record it wants instead of at the top of the file.
 *
 * <p>Readers are kept from what is not theirs by the log's visible head, not here: {@link #lastSeq} and
 * {@link #size} move as soon as a record is written.
 */
final class Segment {

    private static final System.Logger LOG = System.getLogger(SegmentedEventLog.class.getName());
    private static final long INDEX_EVERY = 64 * 1024;

    final Path path;
    final long firstSeq;
    private final FileChannel channel;
    private final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();
    /** {@code firstSeq - 1} while it holds no event. */
    volatile long lastSeq;
    volatile long lastReceivedMillis;
    private volatile long size;
    private long lastIndexed = -INDEX_EVERY;

    private Segment(Path path, FileChannel channel, long firstSeq) {
        this.path = path;
        this.channel = channel;
        this.firstSeq = firstSeq;
        this.lastSeq = firstSeq - 1;
        this.size = RecordFormat.MAGIC.length;
    }

    /**
     * Creates the segment whose first event will be {@code firstSeq}; its name is durable when this returns. A
     * create that fails (a full disk) removes what it made, so that the next attempt, once there is room, starts
     * clean: a file left behind would make every later attempt fail because it exists.
     */
    static Segment create(Path dir, long firstSeq) throws IOException {
        Path path = dir.resolve(String.format("%020d.log", firstSeq));
        // No event at or after firstSeq was ever written: a file of that name is a failed create's remains.
        FileChannel ch = LogFiles.Current.get().open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ch.write(ByteBuffer.wrap(RecordFormat.MAGIC), 0);
            ch.force(true);
            TwoSlotFile.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
                Files.deleteIfExists(path);
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        return new Segment(path, ch, firstSeq);
    }

    /**
     * Opens an existing segment and {@linkplain #recover() recovers} it, or returns {@code null} (and says why)
     * when it is not one of ours.
     */
    static Segment open(Path path) throws IOException {
        FileChannel ch = LogFiles.Current.get().open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer magic = ByteBuffer.allocate(RecordFormat.MAGIC.length);
        int n = ch.read(magic, 0);
        long firstSeq = Long.parseLong(path.getFileName().toString().substring(0, 20));
        if (n < RecordFormat.MAGIC.length && ch.size() < RecordFormat.MAGIC.length) {
            // Created but its magic never made it to disk: start it again.
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(RecordFormat.MAGIC), 0);
            ch.force(true);
        } else if (!Arrays.equals(magic.array(), RecordFormat.MAGIC)) {
            ch.close();
            LOG.log(System.Logger.Level.WARNING, "event log: ignoring " + path + ": not an AlertHub log segment");
            return null;
        }
        Segment s = new Segment(path, ch, Math.max(1, firstSeq));
        try {
            s.recover();
        } catch (IOException | RuntimeException e) {
            s.closeQuietly();
            throw e;
        }
        return s;
    }

    boolean isEmpty() {
        return lastSeq < firstSeq;
    }

    long size() {
        return size;
    }

    /**
     * Verifies every record, builds the index, and cuts what follows the last whole record (a crash in the
     * middle of a write, or garbage): a batch is all there or not at all.
     */
    void recover() throws IOException {
        long fileSize = channel.size();
        long position = RecordFormat.MAGIC.length;
        long expectedSeq = firstSeq;
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER);
        String problem = null;
        while (position < fileSize) {
            if (fileSize - position < RecordFormat.HEADER) {
                problem = "a torn record header";
                break;
            }
            header.clear();
            readFully(header, position);
            int length = header.getInt(0);
            int checksum = header.getInt(4);
            if (!RecordFormat.plausibleLength(length)) {
                problem = "a corrupt record length";
                break;
            }
            if (position + RecordFormat.HEADER + length > fileSize) {
                problem = "a torn record";
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(body, position + RecordFormat.HEADER);
            body.flip();
            if (!RecordFormat.checksumMatches(body, checksum)) {
                problem = "a record whose checksum does not match";
                break;
            }
            long first = body.getLong();
            int count = body.getInt();
            if (first < expectedSeq || count <= 0) {
                problem = "a record out of sequence";
                break;
            }
            indexRecord(first, position);
            lastSeq = first + count - 1;
            lastReceivedMillis = RecordFormat.lastReceivedMillis(body, count);
            expectedSeq = lastSeq + 1;
            position += RecordFormat.HEADER + length;
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.WARNING, "event log: cut " + problem + " at the end of "
                    + path.getFileName() + " (offset " + position + ", " + (fileSize - position)
                    + " bytes dropped; events from seq " + expectedSeq + " were never acknowledged)");
            channel.truncate(position);
            channel.force(true);
        }
        size = position;
    }

    /**
     * Writes one encoded record holding {@code firstSeq..lastSeq}; on failure the file is cut back, so the
     * record is not in it.
     */
    void append(ByteBuffer record, long firstSeq, long lastSeq, long lastReceivedMillis) {
        long position = size;
        try {
            while (record.hasRemaining()) {
                position += channel.write(record, position);
            }
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException x) {
                LOG.log(System.Logger.Level.WARNING, "event log: cannot cut a failed write: " + x.getMessage());
            }
            throw new LogException("cannot write to the event log: " + e.getMessage(), e);
        }
        indexRecord(firstSeq, size);
        size = position;
        this.lastReceivedMillis = lastReceivedMillis;
        this.lastSeq = lastSeq;
    }

    /** Adds events {@code fromSeq..toSeq} held here to {@code out}, up to {@code max} in all; returns the next seq wanted. */
    long read(long fromSeq, long toSeq, int max, List<Event> out) throws IOException {
        Map.Entry<Long, Long> start = index.floorEntry(fromSeq);
        long position = start == null ? RecordFormat.MAGIC.length : start.getValue();
        long end = size;
        long seq = fromSeq;
        ByteBuffer header = ByteBuffer.allocate(RecordFormat.HEADER + RecordFormat.BATCH_HEADER);
        while (position < end && seq <= toSeq && out.size() < max) {
            header.clear();
            readFully(header, position);
            int length = header.getInt(0);
            long first = header.getLong(RecordFormat.HEADER);
            int count = header.getInt(RecordFormat.HEADER + 8);
            if (first + count - 1 >= seq) {
                ByteBuffer events = ByteBuffer.allocate(length - RecordFormat.BATCH_HEADER);
                readFully(events, position + RecordFormat.HEADER + RecordFormat.BATCH_HEADER);
                events.flip();
                seq = RecordFormat.decode(events, first, count, seq, toSeq, max, out);
            }
            position += RecordFormat.HEADER + length;
        }
        return seq;
    }

    /** Forces the file's content (not its metadata) to disk. */
    void force() throws IOException {
        channel.force(false);
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "event log: cannot close " + path + ": " + e.getMessage());
        }
    }

    private void indexRecord(long seq, long position) {
        if (position - lastIndexed >= INDEX_EVERY) {
            index.put(seq, position);
            lastIndexed = position;
        }
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + path.getFileName());
            }
            at += n;
        }
    }
}
