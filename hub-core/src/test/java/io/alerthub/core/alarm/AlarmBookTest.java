package io.alerthub.core.alarm;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alarm lifecycle: every transition, one row each (ACTIVE/CLEARED × acknowledged or not, and what does nothing). */
class AlarmBookTest {

    private static final Instant T0 = Instant.parse("2026-02-02T12:00:00Z");

    /**
     * @param events what happens to violation 456, in order: V violation, A ack by op1, B ack by op2, U an ack_update
     *               saying acknowledged false, C clear
     * @param state  the alarm afterwards, or - for none
     * @param ackBy  who acknowledged it, or - for nobody
     * @param change what the last event changed, or - for nothing
     */
    @ParameterizedTest(name = "{0} -> {1}, ack {2}, last change {3}")
    @CsvSource(delimiter = '|', textBlock = """
            V         | ACTIVE  | -   | opened
            A         | -       | -   | -
            C         | -       | -   | -
            V A       | ACTIVE  | op1 | acknowledged
            V C       | CLEARED | -   | cleared
            V A B     | ACTIVE  | op1 | -
            V A C     | CLEARED | op1 | cleared
            V C A     | CLEARED | op1 | acknowledged
            V C C     | CLEARED | -   | -
            V C A B   | CLEARED | op1 | -
            V V       | ACTIVE  | -   | -
            V A V     | ACTIVE  | op1 | -
            V C V     | ACTIVE  | -   | reopened
            V A C V   | ACTIVE  | -   | reopened
            V U       | ACTIVE  | -   | -
            """)
    void everyTransition(String events, String state, String ackBy, String change) {
        AlarmBook book = new AlarmBook(Set.of("violation"), 100);
        Optional<AlarmBook.Change> last = Optional.empty();
        long seq = 0;
        for (String e : events.split(" ")) {
            last = book.apply(event(++seq, e));
        }
        Optional<Alarm> alarm = book.get("456");
        assertEquals(state, alarm.map(a -> a.state().name()).orElse("-"));
        assertEquals(ackBy, alarm.filter(Alarm::acknowledged).map(Alarm::ackUser).orElse("-"));
        assertEquals(change, last.map(AlarmBook.Change::change).orElse("-"));
        assertEquals(seq, book.appliedSeq());
    }

    private static Event event(long seq, String what) {
        Instant at = T0.plusSeconds(seq);
        return switch (what) {
            case "V" -> EventDraft.builder("violation").characteristicId(1).topic("line:7").severity(Severity.CRITICAL)
                    .receivedAt(at).payloadJson("{\"violation_id\":456,\"rule_id\":1,\"rule_name\":\"Rule 1\"}")
                    .build(seq);
            case "A", "B" -> ack(seq, at, what.equals("A") ? "op1" : "op2", true);
            case "U" -> ack(seq, at, "op3", false);
            case "C" -> EventDraft.builder("violation_cleared").characteristicId(1).receivedAt(at)
                    .payloadJson("{\"violation_id\":456,\"user\":\"op1\",\"reason\":\"fixed\"}").build(seq);
            default -> throw new IllegalArgumentException(what);
        };
    }

    private static Event ack(long seq, Instant at, String user, boolean acknowledged) {
        return EventDraft.builder("ack_update").characteristicId(1).receivedAt(at)
                .payloadJson("{\"violation_id\":456,\"acknowledged\":" + acknowledged + ",\"ack_user\":\"" + user
                                     + "\",\"ack_reason\":\"r\"}").build(seq);
    }

    @Test
    void anAlarmKeepsWhatOpenedItAndWhenEachChangeHappened() {
        AlarmBook book = new AlarmBook(Set.of("violation"), 100);
        book.apply(event(1, "V"));
        book.apply(event(2, "A"));
        book.apply(event(3, "C"));
        Alarm a = book.get("456").orElseThrow();
        assertEquals("456", a.violationId());
        assertTrue(a.violationNumeric());
        assertEquals("1", a.characteristicId());
        assertEquals(java.util.List.of("characteristic:1", "line:7"), a.topics());
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals("Rule 1", a.ruleName());
        assertEquals("1", a.ruleId());
        assertEquals(T0.plusSeconds(1), a.openedAt());
        assertEquals(1, a.openedSeq());
        assertEquals(T0.plusSeconds(2), a.acknowledgedAt());
        assertEquals(2, a.ackSeq());
        assertEquals(T0.plusSeconds(3), a.clearedAt());
        assertEquals("fixed", a.clearReason());
        assertEquals(a, Alarm.fromSnapshot(a.toSnapshot()), "the snapshot keeps every field");
    }

    @Test
    void onlyAlarmTypesOpenAlarmsAndOnlyWithAUsableViolationId() {
        AlarmBook book = new AlarmBook(Set.of("violation", "line_down"), 100);
        book.apply(EventDraft.builder("sample").payloadJson("{\"violation_id\":1}").build(1));
        book.apply(EventDraft.builder("violation").payloadJson("{\"sample_id\":2}").build(2));
        book.apply(EventDraft.builder("violation").payloadJson("{\"violation_id\":1.5}").build(3));
        book.apply(EventDraft.builder("violation").payloadJson("{\"violation_id\":\"a b\"}").build(4));
        book.apply(EventDraft.builder("line_down").topic("line:7").payloadJson("{\"violation_id\":\"L7\"}").build(5));
        assertEquals(1, book.size());
        assertEquals("line_down", book.get("L7").orElseThrow().type());
    }

    @Test
    void anEscalationReadBackFromTheLogSetsTheStepOfThatOpeningOnly() {
        AlarmBook book = new AlarmBook(Set.of("violation"), 100);
        book.apply(event(1, "V"));
        book.apply(EventDraft.builder("alarm_update").payloadJson(
                "{\"violation_id\":456,\"opened_seq\":1,\"change\":\"escalated\",\"escalation_step\":2,\"cause_seq\":0}")
                           .build(2));
        assertEquals(2, book.get("456").orElseThrow().escalationStep());
        book.apply(EventDraft.builder("alarm_update").payloadJson(
                "{\"violation_id\":456,\"opened_seq\":99,\"change\":\"escalated\",\"escalation_step\":3}").build(3));
        assertEquals(2, book.get("456").orElseThrow().escalationStep(), "another opening's escalation");
        book.apply(EventDraft.builder("alarm_update").payloadJson(
                "{\"violation_id\":456,\"change\":\"acknowledged\",\"cause_seq\":7}").build(4));
        assertEquals(7, book.announcedThrough(), "what the log says was announced");
    }

    @Test
    void theOldestClearedAlarmsAreForgottenFirstAndActiveOnesNever() {
        AlarmBook book = new AlarmBook(Set.of("violation"), 2);
        long seq = 0;
        for (int id = 1; id <= 5; id++) {
            book.apply(EventDraft.builder("violation").payloadJson("{\"violation_id\":" + id + "}").build(++seq));
        }
        for (int id : new int[] {3, 1, 2}) {
            book.apply(EventDraft.builder("violation_cleared").payloadJson("{\"violation_id\":" + id + "}")
                               .build(++seq));
        }
        assertFalse(book.get("3").isPresent(), "cleared first, forgotten first");
        assertTrue(book.get("1").isPresent() && book.get("2").isPresent());
        assertTrue(book.get("4").orElseThrow().active() && book.get("5").orElseThrow().active());
        AlarmBook restored = new AlarmBook(Set.of("violation"), 2);
        restored.restore(book.appliedSeq(), 0, book.snapshotOrder());
        restored.apply(EventDraft.builder("violation_cleared").payloadJson("{\"violation_id\":4}").build(++seq));
        assertFalse(restored.get("1").isPresent(), "the snapshot keeps the order in which they were cleared");
        assertTrue(restored.get("2").isPresent());
    }
}
