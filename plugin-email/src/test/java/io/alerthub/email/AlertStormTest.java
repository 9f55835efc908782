package io.alerthub.email;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static io.alerthub.email.EmailTestHub.emailYaml;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten thousand CRITICAL violations, through the hub's notification policy (the legacy email keys are one route with a
 * group window, a digest size and a rate limit): a handful of digests, every violation counted in one of them.
 */
class AlertStormTest {

    private static final int VIOLATIONS = 10_000;
    private static final int BATCH = 1000;
    private static final int MAILS_PER_PERIOD = 3;
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final String QA = "quality@plant.example";

    @TempDir
    Path dir;

    @Test
    void aStormOfTenThousandViolationsSendsABoundedNumberOfDigestsThatCountEveryOne() {
        try (TestSmtpServer smtp = TestSmtpServer.started();
             EmailTestHub hub = EmailTestHub.start(dir.resolve("data"),
                                                   emailYaml(smtp.port(), """
                                                           to: [%s]
                                                           group-window: PT0.1S
                                                           digest-max-items: 50
                                                           rate-limit: { mails: %d, per: %s }
                                                           """.formatted(QA, MAILS_PER_PERIOD, PERIOD)))) {
            long start = System.nanoTime();
            for (int b = 0; b < VIOLATIONS / BATCH; b++) {
                List<String> events = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    int id = b * BATCH + i + 1;
                    events.add(criticalViolation(id, Integer.toString(id % 50)));
                }
                hub.publish(events);
            }
            long published = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> eventsMailed(smtp.mailsFor(QA)) == VIOLATIONS);
            await().atMost(Duration.ofSeconds(10)).until(hub::idle);
            long done = System.nanoTime();

            List<MimeMessage> mails = smtp.mailsFor(QA);
            long elapsedMillis = Duration.ofNanos(done - start).toMillis();
            // The rate limit allows MAILS_PER_PERIOD per sliding PERIOD: over the whole run, no more than this.
            long bound = MAILS_PER_PERIOD * (elapsedMillis / PERIOD.toMillis() + 1);
            System.out.printf("storm: %d violations published in %d ms, mailed as %d mails (%d digests) in %d ms"
                                      + " from the first publish; rate-limit bound %d%n", VIOLATIONS,
                              Duration.ofNanos(published - start).toMillis(), mails.size(), hub.detail("digests_sent"),
                              elapsedMillis, bound);
            assertTrue(mails.size() <= bound, mails.size() + " mails, bound " + bound);
            assertTrue(mails.size() <= 20, mails.size() + " mails");
            assertEquals(mails.size(), hub.email().delivered(), "the channel was handed the mails, not the events");
            assertEquals(VIOLATIONS, eventsMailed(mails), "every violation is counted in exactly one mail");
            for (MimeMessage m : mails) {
                if (Mails.events(m) > 50) {
                    assertEquals("digest", Mails.kind(m));
                    assertTrue(Mails.violationIds(m).size() == 50, "a digest lists the first 50");
                    assertTrue(Mails.text(m).contains("and " + (Mails.events(m) - 50) + " more"), Mails.text(m));
                    assertTrue(Mails.subject(m).startsWith("[AlertHub] " + Mails.events(m) + " violations"),
                               Mails.subject(m));
                }
            }
            assertEquals(mails.size(), hub.detail("mails_sent"));
        }
    }

    private static long eventsMailed(List<MimeMessage> mails) {
        long n = 0;
        for (MimeMessage m : mails) {
            n += Mails.events(m);
        }
        return n;
    }
}
