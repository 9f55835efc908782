package io.alerthub.email;

import java.util.List;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import static io.alerthub.email.EmailTestHub.criticalViolation;
import static io.alerthub.email.EmailTestHub.violation;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mails as a quality engineer receives them, from a real hub through a real SMTP server. */
class EmailDeliveryTest extends HubAndSmtpTest {

    @Test
    void aCriticalViolationAloneGoesOutAsOneMailWithTextAndHtml() throws Exception {
        startHub("""
                to: [quality@plant.example]
                group-window: PT0.2S
                public-url: https://spc.plant.example
                link-template: "{public-url}/characteristics/{characteristic_id}?violation={violation_id}"
                time-zone: UTC
                """);
        hub.publish("""
                {"type":"violation","characteristic_id":42,"severity":"CRITICAL","timestamp":"2026-02-02T12:00:00Z",
                 "payload":{"violation_id":456,"sample_id":123,"rule_id":1,"rule_name":"One point beyond 3 sigma",
                            "characteristic_name":"Bore diameter","value":10.31,"lcl":9.7,"center_line":10.0,
                            "ucl":10.3,"unit":"mm","operator":"Ann"}}""");

        await().atMost(WAIT).until(() -> smtp.all().size() == 1);
        MimeMessage m = smtp.all().getFirst();
        assertEquals("[AlertHub] CRITICAL One point beyond 3 sigma on Bore diameter", Mails.subject(m));
        assertEquals(List.of(new InternetAddress("quality@plant.example")),
                     List.of(m.getRecipients(Message.RecipientType.TO)));
        assertEquals("AlertHub <alerthub@plant.example>", m.getFrom()[0].toString());
        assertEquals("auto-generated", Mails.header(m, "Auto-Submitted"));
        assertEquals(1, Mails.events(m));
        assertEquals("event", Mails.kind(m));

        String text = Mails.text(m);
        assertTrue(text.contains("Characteristic: Bore diameter (#42)"), text);
        assertTrue(text.contains("Rule:           One point beyond 3 sigma (rule 1)"), text);
        assertTrue(text.contains("Value:          10.31 mm - above UCL (10.3) by 0.01"), text);
        assertTrue(text.contains("Control limits: LCL 9.7 | CL 10.0 | UCL 10.3"), text);
        assertTrue(text.contains("Time:           2026-02-02 12:00:00 UTC"), text);
        assertTrue(text.contains("operator: Ann"), text);
        assertTrue(text.contains("https://spc.plant.example/characteristics/42?violation=456"), text);

        String html = Mails.html(m);
        assertTrue(html.contains("<a href=\"https://spc.plant.example/characteristics/42?violation&#x3D;456\""), html);
        assertTrue(html.contains("above UCL (10.3) by 0.01"), html);
        await().atMost(WAIT).until(hub::idle);
        assertEquals(1, hub.detail("mails_sent"));
    }

    @Test
    void violationsInsideTheGroupWindowGoOutAsOneDigestAndLaterOnesStartANewMail() {
        startHub("""
                to: [quality@plant.example, shift-lead@plant.example]
                group-window: PT1S
                """);
        hub.publish(criticalViolation(1, "7"), criticalViolation(2, "7"), criticalViolation(3, "8"));

        await().atMost(WAIT).until(() -> smtp.mailsFor("quality@plant.example").size() == 1);
        MimeMessage digest = smtp.mailsFor("quality@plant.example").getFirst();
        assertEquals("digest", Mails.kind(digest));
        assertEquals(3, Mails.events(digest));
        assertEquals("[AlertHub] 3 violations (3 CRITICAL) on 2 characteristics", Mails.subject(digest));
        String text = Mails.text(digest);
        assertTrue(text.contains("2 x Bore diameter 7"), text);
        assertTrue(text.contains("1 x Bore diameter 8"), text);
        assertTrue(text.contains("3 x One point beyond 3 sigma"), text);
        assertEquals(1, smtp.mailsFor("shift-lead@plant.example").size(), "one mail to the whole list");
        await().atMost(WAIT).until(hub::idle);

        hub.publish(criticalViolation(4, "9"));
        await().atMost(WAIT).until(() -> smtp.mailsFor("quality@plant.example").size() == 2);
        MimeMessage single = smtp.mailsFor("quality@plant.example").get(1);
        assertEquals("event", Mails.kind(single));
        assertEquals("[AlertHub] CRITICAL One point beyond 3 sigma on Bore diameter 9", Mails.subject(single));
        assertEquals(2, hub.detail("mails_sent"));
        assertEquals(1, hub.detail("digests_sent"));
    }

    @Test
    void onlyWhatTheRulesMatchIsMailed() {
        startHub("""
                to: [quality@plant.example]
                group-window: PT0.2S
                """);
        hub.publish(violation(1, "7", "WARNING"),
                    "{\"type\":\"sample\",\"characteristic_id\":7,\"payload\":{\"value\":10.1}}",
                    "{\"type\":\"alert.created\",\"severity\":\"CRITICAL\",\"payload\":{}}",
                    criticalViolation(2, "7"));

        await().atMost(WAIT).until(() -> smtp.all().size() == 1);
        await().atMost(WAIT).until(hub::idle);
        MimeMessage m = smtp.all().getFirst();
        assertEquals(1, Mails.events(m));
        assertTrue(Mails.text(m).contains("Violation:      2"), Mails.text(m));
        assertEquals(1, hub.email().delivered(), "the channel was handed one notification");
        assertEquals(1, smtp.all().size());
    }

    @Test
    void hostileValuesNeitherInjectHeadersNorMarkup() throws Exception {
        startHub("""
                to: [quality@plant.example]
                group-window: PT0.2S
                """);
        hub.publish("""
                {"type":"violation","characteristic_id":7,"severity":"CRITICAL",
                 "payload":{"violation_id":1,"characteristic_name":"Bore\\r\\nBcc: victim@evil.example\\r\\nX-Evil: 1",
                            "rule_name":"<script>alert('x')</script>","note":"<img src=x onerror=alert(1)>",
                            "value":"<b>10</b>"}}""");

        await().atMost(WAIT).until(() -> smtp.all().size() == 1);
        MimeMessage m = smtp.all().getFirst();
        assertEquals("[AlertHub] CRITICAL <script>alert('x')</script> on Bore Bcc: victim@evil.example X-Evil: 1",
                     Mails.subject(m));
        assertEquals(null, m.getHeader("Bcc"));
        assertEquals(null, m.getHeader("X-Evil"));
        assertTrue(smtp.mailsFor("victim@evil.example").isEmpty(), "nobody else got it");
        String raw = Mails.raw(m);
        String headers = raw.substring(0, raw.indexOf("\r\n\r\n"));
        for (String line : headers.split("\r\n")) {
            assertFalse(line.startsWith("Bcc:") || line.startsWith("X-Evil:"), "injected header line: " + line);
        }

        String html = Mails.html(m);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>10</b>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
        assertTrue(html.contains("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"), html);
        assertTrue(Mails.text(m).contains("Rule:           <script>alert('x')</script>"), "text is plain text");
    }
}
