package io.alerthub.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import io.alerthub.core.event.EventDraft;
import io.alerthub.email.EmailSettings.Presentation;
import io.alerthub.spi.DashboardLinks;
import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in and user templates, rendered with hostile values: headers stay single-line, HTML stays text. */
class MailTemplatesTest {

    private static final Presentation PLAIN = new Presentation(ZoneId.of("UTC"), new DashboardLinks("", "{public-url}"));
    private static final String HOSTILE_PAYLOAD = """
            {"violation_id":"v-1\\r\\nBcc: victim@evil.example",
             "characteristic_name":"Bore\\r\\nBcc: victim@evil.example",
             "rule_name":"<script>alert('x')</script>","value":"\\"><b>10</b>","ucl":"10 & more",
             "note":"<img src=x onerror=alert(1)>","nested":{"k":"<i>v</i>"}}""";

    @TempDir
    Path dir;

    @Test
    void htmlValuesAreEscapedAndTextValuesAreKept() {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false, PLAIN);
        MailTemplates.Rendered r = t.event(EventSummary.of(event(7, "violation", HOSTILE_PAYLOAD)));

        assertFalse(r.html().contains("<script>"), r.html());
        assertFalse(r.html().contains("<img"), r.html());
        assertFalse(r.html().contains("<b>10</b>"), r.html());
        assertFalse(r.html().contains("<i>v</i>"), r.html());
        assertTrue(r.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), r.html());
        assertTrue(r.html().contains("&quot;&gt;&lt;b&gt;10&lt;/b&gt;"), r.html());
        assertTrue(r.html().contains("10 &amp; more"), r.html());
        assertTrue(r.text().contains("<script>alert('x')</script>"), "the text part is plain text: " + r.text());
        assertTrue(r.text().contains("note: <img src=x onerror=alert(1)>"), r.text());
    }

    @Test
    void everyHeaderIsOneLineWhateverTheValues() throws Exception {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false, PLAIN);
        EventSummary e = EventSummary.of(event(7, "violation", HOSTILE_PAYLOAD));
        MailTemplates.Rendered r = t.event(e);
        assertTrue(r.subject().contains("\r\n"), "the template itself keeps the value as it is");

        MailComposer composer = new MailComposer(Session.getInstance(new Properties()),
                                                 Recipients.parseInternetAddress("AlertHub <alerthub@plant.example>"));
        MimeMessage m = composer.compose(r, Recipients.of(List.of("quality@plant.example")), "event", 1,
                                         "event|x|7");
        assertEquals("[AlertHub] CRITICAL <script>alert('x')</script> on Bore Bcc: victim@evil.example",
                     m.getSubject());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        m.writeTo(wire);
        String raw = wire.toString(StandardCharsets.UTF_8);
        String headers = raw.substring(0, raw.indexOf("\r\n\r\n"));
        for (String line : headers.split("\r\n")) {
            assertFalse(line.startsWith("Bcc"), "injected: " + line);
        }
        assertEquals(null, m.getHeader("Bcc"));
        assertEquals("1", m.getHeader(MailComposer.EVENTS_HEADER, null));
        assertEquals("auto-generated", m.getHeader("Auto-Submitted", null));
        assertTrue(m.getMessageID().matches("<alerthub\\.[0-9a-f]{32}@plant\\.example>"), m.getMessageID());
    }

    @Test
    void theSameMailGetsTheSameMessageId() throws Exception {
        MailComposer composer = new MailComposer(Session.getInstance(new Properties()),
                                                 Recipients.parseInternetAddress("alerthub@plant.example"));
        MailTemplates.Rendered r = new MailTemplates.Rendered("s", "t", "<p>h</p>");
        Recipients to = Recipients.of(List.of("quality@plant.example"));
        assertEquals(composer.compose(r, to, "digest", 3, "digest|q|1-3").getMessageID(),
                     composer.compose(r, to, "digest", 3, "digest|q|1-3").getMessageID());
        assertFalse(composer.compose(r, to, "digest", 3, "digest|q|1-3").getMessageID()
                            .equals(composer.compose(r, to, "digest", 3, "digest|q|1-4").getMessageID()));
    }

    @Test
    void aDigestCountsEveryEventAndListsTheFirstOnes() {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false, PLAIN);
        List<Event> listed = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            listed.add(event(i % 3, "violation", "{\"violation_id\":" + i + ",\"rule_name\":\"Rule <" + (i % 2)
                    + ">\"}"));
        }
        // the hub's counts over all 12 (characteristic i % 3, rule i % 2), of which the first 5 are listed
        Notification.Summary counts = new Notification.Summary(
                ordered("#0", 4L, "#1", 4L, "#2", 4L), ordered("Rule <0>", 6L, "Rule <1>", 6L),
                Map.of(Severity.CRITICAL, 12L), Map.of("violation", 12L), Instant.parse("2026-02-02T12:00:00Z"),
                Instant.parse("2026-02-02T12:00:00Z"));
        MailTemplates.Rendered r = t.digest(digest(listed, 12, counts));
        assertEquals("[AlertHub] 12 violations (12 CRITICAL) on 3 characteristics", r.subject().trim());
        assertTrue(r.text().contains("4 x #0"), r.text());
        assertTrue(r.text().contains("6 x Rule <1>"), r.text());
        assertTrue(r.text().contains("... and 7 more (the first 5 are listed)."), r.text());
        assertTrue(r.html().contains("Rule &lt;1&gt;"), r.html());
        assertEquals(5, r.text().lines().filter(l -> l.startsWith("- ")).count());
    }

    @Test
    void aDigestOfEventsWithoutCharacteristicNamesNone() {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false, PLAIN);
        List<Event> listed = new ArrayList<>();
        for (Severity s : List.of(Severity.WARNING, Severity.CRITICAL)) {
            listed.add(EventDraft.builder("alert.created").severity(s).payloadJson("{}").build(s.ordinal() + 1));
        }
        Notification n = digest(listed, 2, new Notification.Summary(
                Map.of(Notification.Summary.NO_CHARACTERISTIC, 2L), Map.of(),
                Map.of(Severity.WARNING, 1L, Severity.CRITICAL, 1L), Map.of("alert.created", 2L), null, null));
        assertEquals("[AlertHub] 2 events (1 CRITICAL, 1 WARNING)", t.digest(n).subject().trim());
        assertTrue(t.digest(n).text().contains("2 x (no characteristic)"), t.digest(n).text());
    }

    @Test
    void anEscalationListsItsAlarmsWithTheEventsThatOpenedThem() {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false, PLAIN);
        Event opened = event(7, "violation", "{\"violation_id\":100,\"rule_name\":\"One point beyond 3 sigma\","
                + "\"characteristic_name\":\"Bore\"}");
        Instant at = Instant.parse("2026-02-02T12:00:00Z");
        Notification n = new Notification("n-1", Notification.Kind.ESCALATION, "shift", "shift@plant.example",
                                          at.plusSeconds(900), List.of(opened), 2, Notification.Summary.EMPTY,
                                          List.of(new Notification.Alarm("100", "7", opened.topics(), Severity.CRITICAL,
                                                                         "One point beyond 3 sigma", at, opened.seq()),
                                                  new Notification.Alarm("200", "8", List.of("characteristic:8"),
                                                                         Severity.CRITICAL, null, at, 99)),
                                          2, 1);
        MailTemplates.Rendered r = t.escalation(n, at.plusSeconds(45 * 60));
        assertEquals("[AlertHub] Reminder: 2 unacknowledged CRITICAL violations", r.subject().trim());
        assertTrue(r.text().contains("(escalation step 2, repeated 1x)"), r.text());
        assertTrue(r.text().contains("- Bore: One point beyond 3 sigma  [violation 100]"), r.text());
        assertTrue(r.text().contains("- #8: Violation  [violation 200]"), "no event left: the alarm alone: " + r.text());
        assertTrue(r.text().contains("open for 45 min (reminder 3)"), r.text());
    }

    private static Notification digest(List<Event> listed, long count, Notification.Summary summary) {
        return new Notification("n-d", Notification.Kind.DIGEST, "quality", "q@plant.example", Instant.EPOCH, listed,
                                count, summary, List.of(), 0, 0);
    }

    private static Map<String, Long> ordered(Object... keysAndCounts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            m.put((String) keysAndCounts[i], (Long) keysAndCounts[i + 1]);
        }
        return m;
    }

    @Test
    void userTemplatesReplaceSinglePartsAndAddEventTypes() throws Exception {
        Files.writeString(dir.resolve("violation.subject.mustache"), "ALARM {{characteristic}} {{value}}");
        Files.writeString(dir.resolve("alert.created.txt.mustache"),
                          "Alert {{severity}}: {{#details}}{{key}}={{value}} {{/details}}");
        MailTemplates t = MailTemplates.load(dir, true, PLAIN);

        MailTemplates.Rendered v = t.event(EventSummary.of(event(7, "violation",
                                                                 "{\"characteristic_name\":\"Bore\",\"value\":10.4}")));
        assertEquals("ALARM Bore 10.4", v.subject());
        assertTrue(v.text().startsWith("CRITICAL violation: Violation"), "built-in text kept: " + v.text());

        MailTemplates.Rendered a = t.event(EventSummary.of(event(0, "alert.created", "{\"host\":\"press-4\"}")));
        assertEquals("Alert CRITICAL: host=press-4 ", a.text());
        assertTrue(a.subject().startsWith("[AlertHub] CRITICAL alert.created"), "default subject: " + a.subject());
    }

    @Test
    void anHtmlTemplateMayNotTurnEscapingOff() throws Exception {
        for (String unsafe : List.of("<p>{{{rule_name}}}</p>", "<p>{{& rule_name}}</p>", "{{=<% %>=}}<%rule_name%>")) {
            Files.writeString(dir.resolve("violation.html.mustache"), unsafe);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                       () -> MailTemplates.load(dir, true, PLAIN));
            assertTrue(e.getMessage().startsWith(dir.resolve("violation.html.mustache") + ": an HTML template may"
                                                         + " not use"), e.getMessage());
        }
    }

    @Test
    void brokenOrMisnamedTemplatesAreRefusedByFileName() throws Exception {
        Files.writeString(dir.resolve("digest.txt.mustache"), "{{#items}}never closed");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                                                       () -> MailTemplates.load(dir, true, PLAIN));
        assertTrue(broken.getMessage().startsWith(dir.resolve("digest.txt.mustache") + ": "), broken.getMessage());

        Files.delete(dir.resolve("digest.txt.mustache"));
        Files.writeString(dir.resolve("Violation.body.mustache"), "x");
        IllegalArgumentException misnamed = assertThrows(IllegalArgumentException.class,
                                                         () -> MailTemplates.load(dir, true, PLAIN));
        assertTrue(misnamed.getMessage().contains("a template file is named <event type>.<subject|txt|html>.mustache"),
                   misnamed.getMessage());
    }

    @Test
    void linksAreBuiltFromThePublicUrlWithEncodedValues() {
        MailTemplates t = MailTemplates.load(dir.resolve("none"), false,
                                             new Presentation(ZoneId.of("Europe/Berlin"), new DashboardLinks(
                                                     "https://spc.example",
                                                     "{public-url}/c/{characteristic_id}?v={violation_id}")));
        MailTemplates.Rendered r = t.event(EventSummary.of(
                EventDraft.builder("violation").characteristicId("A-7").severity(Severity.CRITICAL)
                        .timestamp(Instant.parse("2026-02-02T12:00:00Z"))
                        .payloadJson("{\"violation_id\":\"x y&z\"}").build(5)));
        assertTrue(r.text().contains("https://spc.example/c/A-7?v=x%20y%26z"), r.text());
        assertTrue(r.text().contains("2026-02-02 13:00:00 CET"), r.text());
    }

    private static Event event(int characteristic, String type, String payload) {
        return EventDraft.builder(type).characteristicId(characteristic).severity(Severity.CRITICAL)
                .timestamp(Instant.parse("2026-02-02T12:00:00Z")).payloadJson(payload).build(characteristic + 1);
    }
}
