package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The highest {@code seq} readers may have been shown, kept durable ahead of the log itself.
 *
 * <p>Readers see an event as soon as it is written to the log file, before the file is forced to disk, so an
 * fsync stall never delays delivery. A process crash loses nothing written (the page cache keeps it), but a
 * machine crash can lose events readers have already seen, and numbering must then not give their {@code seq}s
 * to new events. So before any {@code seq} becomes visible it is covered by a reservation made durable here,
 * in blocks, ahead of need; after a crash of the machine (a different boot id) numbering goes on above the
 * reservation. A crash of the process alone (same boot) leaves no gap, and a clean stop records the exact head.
 *
 * <p>The file holds two 64-byte slots written alternately, each {@code magic | generation | reserved seq |
 * boot id | CRC-32C}; the valid slot of the higher generation counts, so a torn write leaves the previous
 * reservation readable.
 */
final class SeqReservation implements AutoCloseable {

    /** What the file said at open: the reservation, and whether it was made during this boot. */
    record Found(long reserved, boolean thisBoot) {
    }

    static final String FILE_NAME = "seq.reservation";
    private static final int SLOT = 64;
    private static final int MAGIC = 0x41485231; // "AHR1"
    private static final int BOOT_ID_AT = 4 + 8 + 8 + 1;
    private static final int MAX_BOOT_ID = SLOT - BOOT_ID_AT - 4;

    private final FileChannel channel;
    private final byte[] bootId;
    private final Found found;
    private long generation;

    private SeqReservation(FileChannel channel, byte[] bootId, Found found, long generation) {
        this.channel = channel;
        this.bootId = bootId;
        this.found = found;
        this.generation = generation;
    }

    /**
     * Opens (or creates) the reservation file in {@code dir}.
     *
     * @param bootId this boot's id; empty when unknown, which makes every earlier reservation count as
     *               made before a machine crash
     */
    static SeqReservation open(Path dir, String bootId) throws IOException {
        byte[] boot = bootId.getBytes(StandardCharsets.US_ASCII);
        if (boot.length > MAX_BOOT_ID) {
            boot = Arrays.copyOf(boot, MAX_BOOT_ID);
        }
        Path path = dir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                          StandardOpenOption.WRITE);
        long bestGeneration = -1;
        Found found = null;
        for (int slot = 0; slot < 2; slot++) {
            ByteBuffer buf = ByteBuffer.allocate(SLOT);
            int n = ch.read(buf, (long) slot * SLOT);
            if (n < SLOT) {
                continue;
            }
            buf.flip();
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, SLOT - 4);
            if (buf.getInt(0) != MAGIC || buf.getInt(SLOT - 4) != (int) crc.getValue()) {
                continue;
            }
            long generation = buf.getLong(4);
            long reserved = buf.getLong(12);
            int idLength = buf.get(BOOT_ID_AT - 1);
            if (idLength < 0 || idLength > MAX_BOOT_ID) {
                continue;
            }
            byte[] id = new byte[idLength];
            buf.get(BOOT_ID_AT, id);
            if (generation > bestGeneration) {
                bestGeneration = generation;
                found = new Found(reserved, boot.length > 0 && Arrays.equals(id, boot));
            }
        }
        return new SeqReservation(ch, boot, found, Math.max(0, bestGeneration));
    }

    /** The reservation the file held at open, or {@code null} when it held none. */
    Found found() {
        return found;
    }

    /** Records durably that {@code seq}s up to {@code reserved} may be shown during this boot. */
    void write(long reserved) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SLOT);
        long next = generation + 1;
        buf.putInt(MAGIC).putLong(next).putLong(reserved).put((byte) bootId.length).put(bootId);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SLOT - 4);
        buf.putInt(SLOT - 4, (int) crc.getValue());
        buf.position(0).limit(SLOT);
        long at = (next & 1) * SLOT;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        channel.force(false);
        generation = next;
    }

    /** This machine's boot id (Linux), or an empty string when the platform does not tell. */
    static String currentBootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
