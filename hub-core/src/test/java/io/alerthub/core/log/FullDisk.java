package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A disk that fills up, for the event log's segment files: while {@link #full} is set, every write to a segment fails
 * as the kernel fails it, with "No space left on device"; reads and forcing what was written go on. Installed through the log's
 * {@link LogFiles} seam where a test cannot mount a small tmpfs of its own.
 */
public final class FullDisk implements AutoCloseable {

    private volatile boolean full;

    private FullDisk() {
    }

    /** Installs it: every segment file opened from now on goes through it. */
    public static FullDisk install() {
        FullDisk disk = new FullDisk();
        LogFiles.use((path, options) -> new Channel(FileChannel.open(path, options), disk));
        return disk;
    }

    public void full(boolean full) {
        this.full = full;
    }

    @Override
    public void close() {
        LogFiles.use(LogFiles.SYSTEM);
    }

    private void check() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    /** A segment's channel, failing writes while the disk is full. */
    private static final class Channel extends ForwardingFileChannel {
        private final FullDisk disk;

        Channel(FileChannel ch, FullDisk disk) {
            super(ch);
            this.disk = disk;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            disk.check();
            return super.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            disk.check();
            return super.write(srcs, offset, length);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            disk.check();
            return super.transferFrom(src, position, count);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.check();
            return super.write(src, position);
        }

        // Reads, and forcing what was written, go on as on a real file system: what was written has its blocks.
    }
}
