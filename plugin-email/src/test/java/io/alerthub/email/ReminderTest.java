package io.alerthub.email;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The email plugin's reminders, now an escalation policy of the hub's ({@code plugins.email.reminder} is its
 * shorthand): repeated, stopped by an ack, kept across a restart.
 */
class ReminderTest extends HubAndSmtpTest {

    @Test
    void remindersRepeatUntilTheViolationIsAcknowledgedOrTheMaximumIsReached() {
        startHub("""
                to: [%s]
                group-window: PT0.2S
                reminder: { enabled: true, after: PT1S, repeat: PT2S, max: 2 }
                """.formatted(QA));
        hub.publish(criticalViolation(100, "7"), criticalViolation(200, "8"),
                    EmailTestHub.violation(300, "9", "WARNING"));
        await().atMost(WAIT).until(() -> reminders().size() == 1);
        assertEquals(List.of(100L, 200L), Mails.violationIds(reminders().getFirst()));
        assertEquals("[AlertHub] Reminder: 2 unacknowledged CRITICAL violations",
                     Mails.subject(reminders().getFirst()));

        HttpResponse<String> ack = hub.post("/api/v1/violations/100/ack",
                                            "{\"user\":\"operator1\",\"reason\":\"Process adjusted\","
                                                    + "\"characteristic_id\":7}");
        assertTrue(ack.statusCode() / 100 == 2, ack.body());
        await().atMost(WAIT).until(() -> hub.detail("escalations_scheduled") == 1);

        await().atMost(WAIT).until(() -> hub.detail("escalations_scheduled") == 0);
        await().atMost(WAIT).until(() -> reminders().size() == 2);
        assertEquals(List.of(200L), Mails.violationIds(reminders().get(1)));
        assertEquals(Map.of(100L, 1, 200L, 2), Mails.violationCounts(reminders()));
        assertEquals(2, hub.detail("reminders_sent"));
    }

    @Test
    void aScheduledReminderOutlivesARestart() {
        String config = """
                to: [%s]
                group-window: PT0.2S
                reminder: { enabled: true, after: PT3S, max: 1 }
                """.formatted(QA);
        startHub(config);
        hub.publish(criticalViolation(400, "7"));
        await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
        await().atMost(WAIT).until(() -> hub.detail("escalations_scheduled") == 1);
        stopHub();
        assertTrue(reminders().isEmpty(), "the hub stopped before the reminder was due");

        // The step may come due while the hub restarts (after PT3S): it then fires at once, so what is checked is
        // that it fires, once, after the restart, not how long it stayed scheduled.
        startHub(config);
        await().atMost(WAIT).until(() -> reminders().size() == 1);
        assertEquals(List.of(400L), Mails.violationIds(reminders().getFirst()));
        await().atMost(WAIT).until(() -> hub.detail("escalations_scheduled") == 0);
        assertEquals(2, smtp.mailsFor(QA).size(), "the violation once, its reminder once");
    }

    private List<MimeMessage> reminders() {
        return smtp.mailsFor(QA).stream().filter(m -> Mails.kind(m).equals("reminder")).toList();
    }
}
