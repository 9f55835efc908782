package io.alerthub.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the outbox must remember across a crash that the hub's event log cannot give back: which recipients
 * the server has already taken which events for (so that events handed over again after a restart are not
 * mailed twice), and the reminders waiting for their time.
 *
 * <p>One append-only file of JSON lines in {@code outbox-dir}, forced to disk after each record, rewritten
 * (compacted) from time to time. A line cut short by a crash is ignored when read back. Lines:
 * <pre>
 * {"t":"sent","to":["qa@example.com"],"seqs":"12-15,18"}
 * {"t":"reminder","reminder":{...}}
 * {"t":"reminder-end","violation_id":"456"}
 * </pre>
 * Not thread-safe (the outbox's lock).
 */
final class OutboxJournal implements AutoCloseable {

    static final String FILE_NAME = "email-outbox.jsonl";
    /** Appended lines after which the file is rewritten with only what is still needed. */
    static final int COMPACT_AFTER_LINES = 256;

    private static final System.Logger LOG = System.getLogger(OutboxJournal.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path file;
    private final Map<String, SeqSet> sent = new HashMap<>();
    private final Map<String, Reminder> reminders = new LinkedHashMap<>();
    private FileChannel out;
    private int appended;

    private OutboxJournal(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
    }

    /** Opens (and reads) the journal in {@code dir}, creating the folder when needed. */
    static OutboxJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        OutboxJournal j = new OutboxJournal(dir);
        j.load();
        j.rewrite(0, j.reminders.values());
        return j;
    }

    Path file() {
        return file;
    }

    /** The reminders read at open. */
    Collection<Reminder> savedReminders() {
        return List.copyOf(reminders.values());
    }

    /** Who, among {@code to}, the server already took event {@code seq} for (lower-case addresses). */
    Set<String> alreadySent(Recipients to, long seq) {
        Set<String> out = null;
        for (String a : to.addresses()) {
            String key = a.toLowerCase(Locale.ROOT);
            SeqSet s = sent.get(key);
            if (s != null && s.contains(seq)) {
                if (out == null) {
                    out = new HashSet<>();
                }
                out.add(key);
            }
        }
        return out == null ? Set.of() : out;
    }

    /** The highest seq recorded as sent, 0 when none. */
    long highestSent() {
        long max = 0;
        for (SeqSet s : sent.values()) {
            max = Math.max(max, s.last());
        }
        return max;
    }

    /** Forgets every record of sent mail (the event log they refer to is gone). */
    void forgetSent() throws IOException {
        sent.clear();
        rewrite(0, reminders.values());
    }

    /** The server took a mail carrying {@code seqs} for {@code accepted}; {@code upserted} reminders start with it. */
    void recordSent(List<String> accepted, SeqSet seqs, List<Reminder> upserted) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        // Reminders first: a crash that cuts the record after them re-sends the mail (and re-creates the same
        // reminders), while the other order could keep the record of the mail and lose its reminders.
        for (Reminder r : upserted) {
            line(lines, reminderLine(r));
        }
        if (!seqs.isEmpty()) {
            line(lines, sentLine(accepted, seqs));
        }
        append(lines.toByteArray(), upserted.size() + 1);
        for (String a : accepted) {
            sent.computeIfAbsent(a.toLowerCase(Locale.ROOT), k -> new SeqSet()).addAll(seqs);
        }
        upserted.forEach(r -> reminders.put(r.violationId(), r));
    }

    void recordReminders(ReminderBook.Changes changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (Reminder r : changes.upserted()) {
            line(lines, reminderLine(r));
        }
        for (String id : changes.ended()) {
            ObjectNode o = JSON.createObjectNode().put("t", "reminder-end").put("violation_id", id);
            line(lines, o);
        }
        append(lines.toByteArray(), changes.upserted().size() + changes.ended().size());
        changes.upserted().forEach(r -> reminders.put(r.violationId(), r));
        changes.ended().forEach(reminders::remove);
    }

    boolean wantsCompaction() {
        return appended >= COMPACT_AFTER_LINES;
    }

    /**
     * Rewrites the file with what is still needed: sent records above {@code durableThrough} (the hub's durable
     * cursor, below which no event is handed over again) and {@code current} reminders.
     */
    void compact(long durableThrough, Collection<Reminder> current) throws IOException {
        rewrite(durableThrough, current);
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                apply(JSON.readTree(line));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                if (i == lines.size() - 1) {
                    LOG.log(System.Logger.Level.INFO, "email: ignoring the last line of " + file
                            + ", cut short by a crash");
                } else {
                    LOG.log(System.Logger.Level.WARNING, "email: skipping unreadable line " + (i + 1) + " of " + file
                            + ": " + e.getMessage());
                }
            }
        }
    }

    private void apply(JsonNode o) {
        switch (o.path("t").asText()) {
            case "sent" -> {
                SeqSet seqs = SeqSet.parse(o.path("seqs").asText());
                for (JsonNode a : o.path("to")) {
                    sent.computeIfAbsent(a.asText().toLowerCase(Locale.ROOT), k -> new SeqSet()).addAll(seqs);
                }
            }
            case "reminder" -> {
                Reminder r = Reminder.fromJson(o.path("reminder"));
                reminders.put(r.violationId(), r);
            }
            case "reminder-end" -> reminders.remove(o.path("violation_id").asText());
            default -> throw new IllegalArgumentException("unknown record '" + o.path("t").asText() + "'");
        }
    }

    private void rewrite(long durableThrough, Collection<Reminder> current) throws IOException {
        sent.values().forEach(s -> s.removeThrough(durableThrough));
        sent.values().removeIf(SeqSet::isEmpty);
        List<Reminder> keep = List.copyOf(current);
        reminders.clear();
        keep.forEach(r -> reminders.put(r.violationId(), r));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (Map.Entry<String, SeqSet> e : sent.entrySet()) {
            line(lines, sentLine(List.of(e.getKey()), e.getValue()));
        }
        for (Reminder r : reminders.values()) {
            line(lines, reminderLine(r));
        }
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                               StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, lines.toByteArray());
            ch.force(true);
        }
        if (out != null) {
            out.close();
            out = null;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        appended = 0;
    }

    private void append(byte[] bytes, int lines) throws IOException {
        if (out == null) {
            throw new IOException("the outbox journal " + file + " is closed");
        }
        writeFully(out, bytes);
        out.force(false);
        appended += lines;
    }

    private void forceDirectory() {
        // Makes the rename itself durable; not every platform can open a folder for that, and then the OS decides.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot force folder " + dir + ": " + e.getMessage());
        }
    }

    private static ObjectNode sentLine(List<String> to, SeqSet seqs) {
        ObjectNode o = JSON.createObjectNode().put("t", "sent");
        ArrayNode a = o.putArray("to");
        to.forEach(a::add);
        o.put("seqs", seqs.format());
        return o;
    }

    private static ObjectNode reminderLine(Reminder r) {
        ObjectNode o = JSON.createObjectNode().put("t", "reminder");
        o.set("reminder", r.toJson());
        return o;
    }

    private static void line(ByteArrayOutputStream lines, ObjectNode o) throws IOException {
        lines.write(JSON.writeValueAsBytes(o));
        lines.write('\n');
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.force(true);
            out.close();
            out = null;
        }
    }
}
