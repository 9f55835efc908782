package io.alerthub.core.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} that hands every call to another: a test's disk overrides what it changes (the log's
 * segment files come through {@link LogFiles}).
 */
class ForwardingFileChannel extends FileChannel {
    private final FileChannel ch;

    ForwardingFileChannel(FileChannel ch) {
        this.ch = ch;
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
        return ch.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
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
        ch.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return ch.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return ch.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return ch.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
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
