package io.alerthub.email;

import java.util.Map;

import io.alerthub.spi.Health;

import org.junit.jupiter.api.Test;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMTP server goes away or refuses, then comes back: every mail arrives, once. */
class SmtpOutageTest extends HubAndSmtpTest {

    @Test
    void whileTheServerIsDownMailsWaitAndTheChannelIsDegradedThenAllArriveOnce() {
        smtp.stop();
        startHub("""
                to: [%s]
                group-window: PT0.2S
                """.formatted(QA));

        hub.publish(criticalViolation(1, "7"));
        await().atMost(WAIT).until(() -> hub.email().state() == Health.State.DEGRADED);
        assertTrue(hub.email().reason().contains("refuses"), hub.email().reason());
        hub.publish(criticalViolation(2, "7"), criticalViolation(3, "8"));
        await().atMost(WAIT).until(() -> hub.detail("pending_events") == 3);
        Map<String, Object> details = hub.details();
        assertEquals("refusing", details.get("server"));
        // the first violation's mail waits at the head; the other two make a digest queued behind it
        assertEquals(2L, ((Number) details.get("pending_notifications")).longValue(), details.toString());
        assertEquals(2.0, hub.metric("alerthub_notify_pending"));
        assertEquals(0.0, hub.metric("alerthub_email_server_up"));
        assertTrue(hub.get("/observe/health").body().contains("DEGRADED"));

        smtp.start();
        await().atMost(WAIT).until(() -> Mails.violationCounts(smtp.all()).size() == 3);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), Mails.violationCounts(smtp.all()), "each violation exactly once");
        assertEquals(Health.State.UP, hub.email().state());
        assertEquals(0, hub.detail("pending_events"));
        assertEquals(1.0, hub.metric("alerthub_email_server_up"));
        assertEquals(2.0, hub.metric("alerthub_email_mails_sent_total"));
    }

    @Test
    void aServerThatAnswersTryLaterIsRetriedUntilItTakesTheMail() {
        smtp.policy().mailFrom("421 4.3.2 System not accepting network messages");
        startHub("""
                to: [%s]
                group-window: PT0.2S
                """.formatted(QA));

        hub.publish(criticalViolation(1, "7"));
        await().atMost(WAIT).until(() -> hub.email().state() == Health.State.DEGRADED);
        assertTrue(hub.email().reason().contains("421"), hub.email().reason());
        await().atMost(WAIT).until(() -> hub.detail("send_failures") >= 2);
        assertTrue(smtp.all().isEmpty());

        smtp.policy().mailFrom(null);
        await().atMost(WAIT).until(() -> smtp.all().size() == 1);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.all()));
        assertEquals(Health.State.UP, hub.email().state());
    }
}
