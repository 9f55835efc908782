package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

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
    private static final class Channel extends FileChannel {
        private final FileChannel ch;
        private final FullDisk disk;

        Channel(FileChannel ch, FullDisk disk) {
            this.ch = ch;
            this.disk = disk;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return ch.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            disk.check();
            return ch.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            disk.check();
            return ch.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            // as on a real file system: what was written has its blocks; forcing it needs no new ones
            ch.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return ch.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            disk.check();
            return ch.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.check();
            return ch.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return ch.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return ch.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return ch.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }
}
