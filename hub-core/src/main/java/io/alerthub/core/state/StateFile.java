package io.alerthub.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small piece of durable state as one JSON document (the alarms' snapshot, the silences, the notification
 * policy's state): written whole to a temporary file, forced, and renamed over the old one, so that a crash
 * (a {@code kill -9}, a power loss) leaves either the old document or the new one, never a mix.
 */
public final class StateFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path temporary;

    public StateFile(Path file) {
        this.file = file;
        this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
    }

    public Path path() {
        return file;
    }

    /**
     * The document, when there is one.
     *
     * @throws IOException when it cannot be read, or is not JSON (named in the message)
     */
    public Optional<JsonNode> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(bytes));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a JSON document: " + e.getOriginalMessage(), e);
        }
    }

    /** Replaces the document, durably. */
    public void write(JsonNode document) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(document));
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                               StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
    }

    /** Forces a folder, so that a file created or renamed in it survives a power loss (a no-op where unsupported). */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open or force a folder; the rename is then as durable as they make it
        }
    }
}
