package io.alerthub.email;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's memory across a crash: what each recipient already has, and the reminders. */
class OutboxJournalTest {

    private static final Recipients BOTH = Recipients.of(List.of("qa@plant.example", "lead@plant.example"));

    @TempDir
    Path dir;

    @Test
    void whatWasSentIsKnownAgainAfterAReopen() throws Exception {
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            j.recordSent(List.of("QA@plant.example"), SeqSet.parse("3-5,9"), List.of());
        }
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(Set.of("qa@plant.example"), j.alreadySent(BOTH, 4));
            assertEquals(Set.of(), j.alreadySent(BOTH, 6));
            assertEquals(9, j.highestSent());
            j.forgetSent();
            assertEquals(Set.of(), j.alreadySent(BOTH, 4));
        }
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(0, j.highestSent());
        }
    }

    @Test
    void remindersAreKeptUntilTheyEnd() throws Exception {
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            j.recordSent(List.of("qa@plant.example"), SeqSet.parse("7"), List.of(reminder("456"), reminder("457")));
            j.recordReminders(new ReminderBook.Changes(List.of(), List.of("457")));
        }
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(List.of("456"), j.savedReminders().stream().map(Reminder::violationId).toList());
            Reminder r = j.savedReminders().iterator().next();
            assertEquals(reminder("456"), r);
        }
    }

    @Test
    void aLineCutShortByACrashIsIgnored() throws Exception {
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            j.recordSent(List.of("qa@plant.example"), SeqSet.parse("1-2"), List.of());
        }
        Files.writeString(dir.resolve(OutboxJournal.FILE_NAME), "{\"t\":\"sent\",\"to\":[\"lead@plant.exa",
                          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(Set.of("qa@plant.example"), j.alreadySent(BOTH, 2));
            j.recordSent(List.of("lead@plant.example"), SeqSet.parse("3"), List.of());
        }
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(Set.of("lead@plant.example"), j.alreadySent(BOTH, 3));
            assertTrue(Files.readString(dir.resolve(OutboxJournal.FILE_NAME)).lines()
                               .allMatch(l -> l.startsWith("{\"t\":\"sent\"") && l.endsWith("}")),
                       "rewritten without the broken line");
        }
    }

    @Test
    void compactionForgetsWhatTheHubWillNotHandOverAgain() throws Exception {
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            for (int seq = 1; seq <= OutboxJournal.COMPACT_AFTER_LINES; seq++) {
                j.recordSent(List.of("qa@plant.example"), SeqSet.parse(Integer.toString(seq)), List.of());
            }
            assertTrue(j.wantsCompaction());
            j.compact(200, List.of(reminder("456")));
            assertTrue(!j.wantsCompaction());
            assertEquals(Set.of(), j.alreadySent(BOTH, 200));
            assertEquals(Set.of("qa@plant.example"), j.alreadySent(BOTH, 201));
        }
        List<String> lines = Files.readAllLines(dir.resolve(OutboxJournal.FILE_NAME));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.getFirst().contains("\"seqs\":\"201-256\""), lines.getFirst());
        try (OutboxJournal j = OutboxJournal.open(dir)) {
            assertEquals(1, j.savedReminders().size());
        }
    }

    private static Reminder reminder(String violationId) {
        EventSummary item = EventSummary.of(EventDraft.builder("violation").characteristicId(7).severity(Severity.CRITICAL)
                                                    .timestamp(Instant.parse("2026-02-02T12:00:00Z"))
                                                    .payloadJson("{\"violation_id\":\"" + violationId + "\"}")
                                                    .build(7)).withoutDetails();
        return new Reminder(violationId, Recipients.of(List.of("qa@plant.example")),
                            Instant.parse("2026-02-02T12:30:00Z").toEpochMilli(), 1,
                            Instant.parse("2026-02-02T12:00:01Z"), item);
    }
}
