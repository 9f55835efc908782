package io.alerthub.email;

import java.util.Map;

import io.alerthub.spi.Health;

import org.junit.jupiter.api.Test;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that refuses one recipient: for good (5xx) or for now (4xx). The others get their mail regardless. */
class RecipientRefusalTest extends HubAndSmtpTest {

    private static final String GONE = "former-employee@plant.example";
    private static final String FULL = "shift-lead@plant.example";

    @Test
    void aRecipientRefusedForGoodDoesNotBlockTheOthersAndIsNeverRetried() {
        smtp.policy().recipient(GONE, "550 5.1.1 <" + GONE + ">: Recipient address rejected: User unknown");
        startHub("""
                to: [%s, %s]
                group-window: PT0.2S
                """.formatted(GONE, QA));

        hub.publish(criticalViolation(1, "7"));
        await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(1, hub.detail("recipients_rejected"));
        assertEquals(1, smtp.policy().rcptAttempts(GONE), "asked once, never again for this mail");
        assertEquals(Health.State.UP, hub.email().state(), "one bad address is not a server problem");

        hub.publish(criticalViolation(2, "7"));
        await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 2);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(2, smtp.policy().rcptAttempts(GONE), "each new mail asks once more");
        assertTrue(smtp.mailsFor(GONE).isEmpty());
        assertEquals(Map.of(1L, 1, 2L, 1), Mails.violationCounts(smtp.mailsFor(QA)));
        assertEquals(2, hub.detail("recipients_rejected"));
        assertEquals(2, hub.detail("mails_sent"));
    }

    @Test
    void aRecipientThatSaysTryLaterGetsTheMailLaterAndTheOthersGetItOnce() {
        smtp.policy().recipient(FULL, "452 4.2.2 Mailbox full");
        startHub("""
                to: [%s, %s]
                group-window: PT0.2S
                """.formatted(FULL, QA));

        hub.publish(criticalViolation(1, "7"));
        await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
        await().atMost(WAIT).until(() -> smtp.policy().rcptAttempts(FULL) >= 3);
        assertEquals(1, hub.detail("pending_notifications"), "the mail waits for the deferred recipient only");
        assertTrue(smtp.mailsFor(FULL).isEmpty());

        smtp.policy().recipient(FULL, null);
        await().atMost(WAIT).until(() -> smtp.mailsFor(FULL).size() == 1);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(FULL)));
        assertEquals(Map.of(1L, 1), Mails.violationCounts(smtp.mailsFor(QA)), "the others got it exactly once");
        assertEquals(0, hub.detail("recipients_rejected"));
    }

    @Test
    void aMailTheServerRefusesAsAWholeForGoodIsDroppedAndTheNextOneGoesOut() {
        smtp.policy().data("554 5.6.0 Message content rejected");
        startHub("""
                to: [%s]
                group-window: PT0.2S
                """.formatted(QA));

        hub.publish(criticalViolation(1, "7"));
        await().atMost(WAIT).until(() -> hub.detail("recipients_rejected") == 1);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(Health.State.UP, hub.email().state());

        smtp.policy().data(null);
        hub.publish(criticalViolation(2, "7"));
        await().atMost(WAIT).until(() -> smtp.mailsFor(QA).size() == 1);
        assertEquals(Map.of(2L, 1), Mails.violationCounts(smtp.mailsFor(QA)));
    }
}
