package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The highest {@code seq} readers may have been shown, kept durable ahead of the log itself.
 *
 * <p>Readers see an event as soon as it is written to the log file, before the file is forced to disk, so an
 * fsync stall never delays delivery. A process crash loses nothing written (the page cache keeps it), but a
 * machine crash can lose events readers have already seen, and numbering must then not give their {@code seq}s
 * to new events. So before any {@code seq} becomes visible it is covered by a reservation made durable here,
 * in blocks, ahead of need ({@link SeqReserver}); after a crash of the machine (a different boot id) numbering
 * goes on above the reservation. A crash of the process alone (same boot) leaves no gap, and a clean stop records
 * the exact head.
 *
 * <p>The file is a {@link TwoSlotFile} of two 64-byte slots, each {@code magic | generation | reserved seq |
 * boot id | CRC-32C}, so a torn write leaves the previous reservation readable.
 */
final class SeqReservation implements AutoCloseable {

    /** What the file said at open: the reservation, and whether it was made during this boot. */
    record Found(long reserved, boolean thisBoot) {
    }

    static final String FILE_NAME = "seq.reservation";
    private static final int SLOT = 64;
    private static final int MAGIC = 0x41485231; // "AHR1"

    private final TwoSlotFile file;
    private final byte[] bootId;
    private final Found found;

    private SeqReservation(TwoSlotFile file, byte[] bootId, Found found) {
        this.file = file;
        this.bootId = bootId;
        this.found = found;
    }

    /**
     * Opens (or creates) the reservation file in {@code dir}.
     *
     * @param bootId this boot's id; empty when unknown, which makes every earlier reservation count as
     *               made before a machine crash
     */
    static SeqReservation open(Path dir, String bootId) throws IOException {
        TwoSlotFile file = TwoSlotFile.open(dir.resolve(FILE_NAME), SLOT, MAGIC);
        int maxBootId = file.capacity() - 8 - 1;
        byte[] boot = bootId.getBytes(StandardCharsets.US_ASCII);
        if (boot.length > maxBootId) {
            boot = Arrays.copyOf(boot, maxBootId);
        }
        ByteBuffer value = file.value();
        Found found = null;
        if (value != null) {
            long reserved = value.getLong();
            int idLength = value.get();
            byte[] id = new byte[Math.clamp(idLength, 0, maxBootId)];
            value.get(id);
            found = new Found(reserved, boot.length > 0 && idLength == boot.length && Arrays.equals(id, boot));
        }
        return new SeqReservation(file, boot, found);
    }

    /** The reservation the file held at open, or {@code null} when it held none. */
    Found found() {
        return found;
    }

    /** Records durably that {@code seq}s up to {@code reserved} may be shown during this boot. */
    void write(long reserved) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(8 + 1 + bootId.length);
        payload.putLong(reserved).put((byte) bootId.length).put(bootId).flip();
        file.write(payload);
        file.force();
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
        file.close();
    }
}
