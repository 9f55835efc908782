package io.alerthub.core.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

import io.alerthub.core.log.TwoSlotFile;

/**
 * A lane's durable cursor: the last {@code seq} it has fully handed to its plugin, in a {@link TwoSlotFile} of two
 * 32-byte slots ({@code magic | generation | seq | CRC-32C}), so a write torn by a crash leaves the previous cursor
 * readable and a lane never loses its place (it used to start again at the log's head, skipping every event in
 * between).
 *
 * <p>The lane writes after each batch, into the page cache: a process crash loses nothing. What a machine crash
 * may lose depends on the log's fsync policy:
 * <ul>
 *   <li>{@code batch}, {@code interval}: a {@link CursorFlusher} of the dispatcher forces every cursor that moved, every
 *       {@code hub.log.fsync-interval} (100 ms), off the lane's thread: a lane delivering a thousand single-event
 *       batches a second makes ten fsyncs a second, not a thousand, and a disk stall never holds a delivery up.
 *       After a machine crash a channel goes on from a cursor at most about one interval old: it gets up to that
 *       interval's events again (at least once), never fewer (it does not go back further, and skips nothing).</li>
 *   <li>{@code none}: forced only on close; after a machine crash a cursor may be as old as the
 *       OS's write-back (seconds), still whole.</li>
 * </ul>
 * A new cursor file is forced, with its directory, at creation and at its first value; {@link #close()} forces.
 *
 * <p>A 16-byte cursor file of earlier versions ({@code seq} and its complement) is read once and rewritten in this
 * form at the next save.
 */
final class CursorStore implements LaneCursor {

    private static final int SLOT = 32;
    private static final int MAGIC = 0x41484331; // "AHC1"

    private final TwoSlotFile file;
    private final OptionalLong loaded;
    private final ByteBuffer payload = ByteBuffer.allocate(8);
    /** Lane thread only. */
    private long saved;
    private boolean forceNextSave;
    /** Saves so far: written by the lane's thread, read by the flusher's. */
    private volatile long saves;
    /** Saves forced so far: written by the flusher's thread (and by the lane's, at a new cursor's first save). */
    private volatile long forcedSaves;

    private CursorStore(TwoSlotFile file, OptionalLong loaded) {
        this.file = file;
        this.loaded = loaded;
        this.saved = loaded.orElse(-1);
        this.forceNextSave = loaded.isEmpty();
    }

    static CursorStore open(Path path) throws IOException {
        TwoSlotFile file = TwoSlotFile.open(path, SLOT, MAGIC);
        ByteBuffer value = file.value();
        OptionalLong loaded = value != null ? valid(value.getLong()) : legacy(path);
        return new CursorStore(file, loaded);
    }

    /** The saved cursor; empty for a new plugin. */
    @Override
    public OptionalLong load() {
        return loaded;
    }

    /**
     * Writes {@code seq} to the page cache (forced at once only for the first value of a new cursor).
     *
     * @return {@code false} when it was the saved value already (nothing written)
     */
    @Override
    public boolean save(long seq) throws IOException {
        if (seq == saved) {
            return false;
        }
        payload.clear();
        payload.putLong(seq).flip();
        file.write(payload);
        saved = seq;
        saves = saves + 1;
        if (forceNextSave) {
            file.force();
            forcedSaves = saves;
            forceNextSave = false;
        }
        return true;
    }

    /** Whether a save has not been forced yet. */
    boolean dirty() {
        return saves != forcedSaves;
    }

    /**
     * Forces what was saved, when anything was since the last force.
     *
     * @return whether it forced
     */
    boolean forceIfDirty() throws IOException {
        long now = saves;
        if (now == forcedSaves) {
            return false;
        }
        file.force();
        forcedSaves = now;
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            file.force();
        } finally {
            file.close();
        }
    }

    private static OptionalLong valid(long seq) {
        return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    /** The cursor of an earlier version's file: {@code seq} then its complement, from the file's first byte. */
    private static OptionalLong legacy(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(16);
            if (ch.read(b, 0) < 16) {
                return OptionalLong.empty();
            }
            long seq = b.getLong(0);
            return b.getLong(8) == ~seq ? valid(seq) : OptionalLong.empty();
        }
    }
}
