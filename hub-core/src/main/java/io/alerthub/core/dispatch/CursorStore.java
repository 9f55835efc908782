package io.alerthub.core.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * A lane's durable cursor: the last {@code seq} it has fully handed to its plugin, in a 16-byte file
 * ({@code seq} and its complement, so a torn write is detected). Overwritten in place after each batch:
 * a process crash loses nothing (the page cache has it); it is forced to disk on close.
 */
final class CursorStore implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(16);
    private long saved = -1;

    private CursorStore(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static CursorStore open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new CursorStore(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                                      StandardOpenOption.WRITE));
    }

    /** The saved cursor; empty for a new plugin or an unreadable file. */
    OptionalLong load() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        int n = channel.read(b, 0);
        if (n < 16) {
            return OptionalLong.empty();
        }
        long seq = b.getLong(0);
        long check = b.getLong(8);
        if (check != ~seq || seq < 0) {
            return OptionalLong.empty();
        }
        saved = seq;
        return OptionalLong.of(seq);
    }

    /** Writes {@code seq}; {@code false} when it was the saved value already (nothing written). */
    boolean save(long seq) throws IOException {
        if (seq == saved) {
            return false;
        }
        buffer.clear();
        buffer.putLong(seq).putLong(~seq).flip();
        long at = 0;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        saved = seq;
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
