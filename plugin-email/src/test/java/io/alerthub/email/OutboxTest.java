package io.alerthub.email;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import io.alerthub.core.event.EventDraft;
import io.alerthub.email.Outbox.EventMail;
import io.alerthub.email.Outbox.MailJob;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's timing on a clock the test turns: group windows, the rate limit, backoff, giving up. */
class OutboxTest {

    private static final Recipients QA = Recipients.of(List.of("qa@plant.example"));
    private static final Recipients BOTH = Recipients.of(List.of("qa@plant.example", "lead@plant.example"));

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private OutboxJournal journal;

    @AfterEach
    void closeJournal() throws Exception {
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void eventsInsideTheWindowShareAMailAndTheRateLimitFoldsTheRestIntoTheNextOne() throws Exception {
        Outbox box = outbox("""
                group-window: PT10S
                rate-limit: { mails: 2, per: PT60S }
                """);
        box.poll(); // the start-up probe
        box.serverReachable();
        box.add(QA, violation(1));
        box.add(QA, violation(2));
        assertNull(box.poll(), "the window is open");
        assertEquals(1, box.oldestHeld());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, sendAll(box, QA));

        box.add(QA, violation(3));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, sendAll(box, QA));
        assertEquals(Long.MAX_VALUE, box.oldestHeld(), "nothing held once the server took it");

        box.add(QA, violation(4));
        clock.advance(Duration.ofSeconds(10));
        assertNull(box.poll(), "two mails in the last minute: the third waits");
        box.add(QA, violation(5));
        box.add(QA, violation(6));
        assertEquals(4, box.oldestHeld());
        clock.advance(Duration.ofSeconds(40));
        assertEquals(3, sendAll(box, QA), "the first slot freed: one mail with everything that folded in");
        assertEquals(3, box.mailsSent.get());
        assertEquals(2, box.digestsSent.get());
    }

    @Test
    void aDeferringRecipientIsRetriedWithBackoffAloneAndGivenUpAfterItsTime() throws Exception {
        Outbox box = outbox("""
                group-window: PT1S
                retry: { initial-backoff: PT1S, max-backoff: PT4S, give-up-after: PT30S }
                """);
        box.poll();
        box.add(BOTH, violation(1));
        clock.advance(Duration.ofSeconds(1));
        MailJob first = single(box);
        box.completed(first, new SendOutcome(List.of("qa@plant.example"), List.of(), List.of("lead@plant.example"),
                                             "452 4.2.2 Mailbox full", null));
        assertEquals(1, box.oldestHeld(), "held for the deferred recipient");
        assertEquals(1, box.state().pendingMails());
        assertNull(box.state().serverProblem(), "one recipient deferring is not the server refusing");
        assertEquals(Boolean.TRUE, journal.alreadySent(BOTH, 1).contains("qa@plant.example"));

        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(4));
            MailJob again = single(box);
            assertEquals(Recipients.of(List.of("lead@plant.example")), again.to());
            box.completed(again, new SendOutcome(List.of(), List.of(), List.of("lead@plant.example"),
                                                 "452 4.2.2 Mailbox full", null));
            if (box.oldestHeld() == Long.MAX_VALUE) {
                break;
            }
        }
        assertEquals(Long.MAX_VALUE, box.oldestHeld(), "given up after give-up-after");
        assertEquals(1, box.recipientsRejected.get());
    }

    @Test
    void aRefusingServerHoldsEverythingUntilItsBackoffEnds() throws Exception {
        Outbox box = outbox("""
                group-window: PT1S
                retry: { initial-backoff: PT2S, max-backoff: PT2S }
                """);
        box.poll();
        box.add(QA, violation(1));
        clock.advance(Duration.ofSeconds(1));
        Outbox.Work work = box.poll();
        box.serverRefused(work.jobs(), "Connection refused");
        assertEquals("Connection refused", box.state().serverProblem());
        box.add(QA, violation(2));
        clock.advance(Duration.ofSeconds(2));
        MailJob retry = single(box);
        assertEquals(2, ((EventMail) retry).batch().count(), "the new event folded into the waiting mail");
        box.completed(retry, SendOutcome.delivered(QA.addresses()));
        assertNull(box.state().serverProblem());
        assertEquals(Long.MAX_VALUE, box.oldestHeld());
    }

    @Test
    void eventsTheJournalKnowsAsSentAreNotQueuedAgain() throws Exception {
        Outbox box = outbox("group-window: PT1S");
        box.poll();
        box.add(BOTH, violation(5));
        clock.advance(Duration.ofSeconds(1));
        box.completed(single(box), SendOutcome.delivered(BOTH.addresses()));
        journal.close();

        Outbox restarted = outbox("group-window: PT1S");
        assertFalse(restarted.add(BOTH, violation(5)), "both recipients already have it");
        assertEquals(1, restarted.skippedAsSent.get());
        assertTrue(restarted.add(BOTH, violation(6)));
    }

    private Outbox outbox(String yaml) throws Exception {
        journal = OutboxJournal.open(dir);
        return new Outbox(EmailSettings.create(ConfigSections.email(yaml)), journal, clock);
    }

    /** Takes the one due mail, sends it (the server takes it) and says how many events it carried. */
    private static long sendAll(Outbox box, Recipients to) {
        MailJob job = single(box);
        assertEquals(to, job.to());
        box.completed(job, SendOutcome.delivered(to.addresses()));
        return ((EventMail) job).batch().count();
    }

    private static MailJob single(Outbox box) {
        Outbox.Work work = box.poll();
        assertTrue(work != null && work.jobs().size() == 1, "one mail due, got " + work);
        return work.jobs().getFirst();
    }

    private static EventSummary violation(long seq) {
        return EventSummary.of(EventDraft.builder("violation").characteristicId(7).severity(Severity.CRITICAL)
                                       .payloadJson("{\"violation_id\":" + seq + "}").build(seq));
    }

    /** A clock that moves only when the test says so. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-02-02T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
