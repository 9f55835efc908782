package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A small value kept in a file of two slots written alternately, so that a write torn by a crash leaves the
 * previous value readable. Each slot is {@code int32 magic | int64 generation | payload | int32 CRC-32C} of
 * everything before the checksum; the whole slot of the higher generation holds the value. A write goes to the
 * slot that does not hold it. Used by the log's {@code seq.reservation} and by the lanes' cursor files.
 *
 * <p>A write lands in the page cache (a process crash loses nothing); {@link #force()} makes it survive a
 * machine crash, and the caller decides when. A file this class creates is forced with its directory at once,
 * so it cannot vanish in a crash after the first {@code force()}.
 *
 * <p>One thread writes; {@link #force()} may be called from another.
 */
public final class TwoSlotFile implements AutoCloseable {

    private static final int HEADER = 4 + 8;
    private static final int CHECKSUM = 4;

    private final FileChannel channel;
    private final int slotSize;
    private final int magic;
    private final ByteBuffer value;
    /** Reused by each write: one thread writes, and a cursor is written after every batch a lane delivers. */
    private final ByteBuffer slot;
    private final CRC32C crc = new CRC32C();
    private long generation;

    private TwoSlotFile(FileChannel channel, int slotSize, int magic, ByteBuffer value, long generation) {
        this.channel = channel;
        this.slotSize = slotSize;
        this.magic = magic;
        this.value = value;
        this.generation = generation;
        this.slot = ByteBuffer.allocate(slotSize);
    }

    /**
     * Opens or creates {@code path} (and its directory), reading the value it holds.
     *
     * @param slotSize the size of one slot; a payload may take {@code slotSize - 16} bytes
     * @param magic    the first four bytes of a slot, naming what the file holds
     */
    public static TwoSlotFile open(Path path, int slotSize, int magic) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            forceDirectory(dir.getParent());
        }
        boolean created = !Files.exists(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                          StandardOpenOption.WRITE);
        try {
            if (created) {
                ch.force(true);
                forceDirectory(dir);
            }
            long bestGeneration = -1;
            ByteBuffer best = null;
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer buf = ByteBuffer.allocate(slotSize);
                if (ch.read(buf, (long) slot * slotSize) < slotSize) {
                    continue;
                }
                CRC32C crc = new CRC32C();
                crc.update(buf.array(), 0, slotSize - CHECKSUM);
                if (buf.getInt(0) != magic || buf.getInt(slotSize - CHECKSUM) != (int) crc.getValue()) {
                    continue;
                }
                long generation = buf.getLong(4);
                if (generation > bestGeneration) {
                    bestGeneration = generation;
                    best = buf.slice(HEADER, slotSize - HEADER - CHECKSUM).asReadOnlyBuffer();
                }
            }
            return new TwoSlotFile(ch, slotSize, magic, best, Math.max(0, bestGeneration));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The payload of the newest whole slot when the file was opened, or {@code null} when it held none. */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** The most payload a slot takes. */
    public int capacity() {
        return slotSize - HEADER - CHECKSUM;
    }

    /** Writes {@code payload} (its remaining bytes) as the new value, into the page cache; see {@link #force()}. */
    public void write(ByteBuffer payload) throws IOException {
        if (payload.remaining() > capacity()) {
            throw new IllegalArgumentException("a payload of " + payload.remaining() + " bytes does not fit in "
                    + capacity());
        }
        long next = generation + 1;
        Arrays.fill(slot.array(), (byte) 0);
        slot.clear();
        slot.putInt(magic).putLong(next).put(payload);
        crc.reset();
        crc.update(slot.array(), 0, slotSize - CHECKSUM);
        slot.putInt(slotSize - CHECKSUM, (int) crc.getValue());
        slot.clear();
        long at = (next & 1) * slotSize;
        while (slot.hasRemaining()) {
            at += channel.write(slot, at);
        }
        generation = next;
    }

    /** Makes what was written survive a machine crash. */
    public void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Makes a new file's name durable; where a directory cannot be opened (not Linux), the OS decides. */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done here
        }
    }
}
