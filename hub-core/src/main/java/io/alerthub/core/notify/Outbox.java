package io.alerthub.core.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The notifications decided and not yet settled (sent, or refused for good): the policy's state file holds them,
 * and {@code delivered.log} beside it records, one id a line, each one settled since that file was written — forced
 * before the next is sent, so that a restart neither loses a notification nor sends a settled one again (except the
 * one on the wire when the process died: at least once). Thread-safe.
 */
final class Outbox {

    private final Path journal;
    private final Map<String, Outgoing> pending = new LinkedHashMap<>();
    /** Settled since the last state file was taken (their ids are in the journal). */
    private final Set<String> settledSinceCapture = new HashSet<>();
    private FileChannel appender;

    Outbox(Path journal) {
        this.journal = journal;
    }

    /**
     * Takes back what the state file held, without what the journal says was settled.
     *
     * @return the notifications still to send, oldest first
     */
    synchronized List<Outgoing> restore(List<Outgoing> saved) throws IOException {
        Set<String> settled = new HashSet<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    settled.add(line.trim());
                }
            }
        }
        for (Outgoing o : saved) {
            if (settled.contains(o.id())) {
                // still in the state file: the journal must say so until the next state file leaves it out
                settledSinceCapture.add(o.id());
            } else {
                pending.put(o.id(), o);
            }
        }
        return List.copyOf(pending.values());
    }

    /**
     * Adds a notification; {@code false} when one with the same id is already pending (the same notification
     * decided again after a restart).
     */
    synchronized boolean add(Outgoing o) {
        return pending.putIfAbsent(o.id(), o) == null;
    }

    /** The notification went, or never can: forgotten, durably. */
    synchronized void settle(String id) throws IOException {
        if (pending.remove(id) == null) {
            return;
        }
        settledSinceCapture.add(id);
        if (appender == null) {
            Files.createDirectories(journal.getParent());
            appender = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                        StandardOpenOption.APPEND);
        }
        ByteBuffer line = ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            appender.write(line);
        }
        appender.force(false);
    }

    /** What is pending now, for the state file; call {@link #captured} once that file is written. */
    synchronized Capture capture() {
        return new Capture(List.copyOf(pending.values()), Set.copyOf(settledSinceCapture));
    }

    /**
     * What a state file holds of the outbox.
     *
     * @param pending       the notifications it holds
     * @param settledBefore settled before it was taken (so absent from it)
     */
    record Capture(List<Outgoing> pending, Set<String> settledBefore) {
    }

    /** The state file of {@code capture} is written: the journal keeps only what was settled after it was taken. */
    synchronized void captured(Capture capture) throws IOException {
        settledSinceCapture.removeAll(capture.settledBefore());
        rewrite(settledSinceCapture);
    }

    private void rewrite(Set<String> keep) throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        if (keep.isEmpty()) {
            Files.deleteIfExists(journal);
            return;
        }
        Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
        Files.write(tmp, (String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    synchronized int size() {
        return pending.size();
    }

    /** Pending notifications and the events they stand for, per receiver. */
    synchronized Map<String, long[]> byReceiver() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Outgoing o : pending.values()) {
            long[] n = out.computeIfAbsent(o.receiver(), k -> new long[2]);
            n[0]++;
            n[1] += o.count();
        }
        return out;
    }

    synchronized List<Outgoing> all() {
        return new ArrayList<>(pending.values());
    }

    synchronized void close() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }
}
