package io.alerthub.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.DashboardLinks;
import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bodies of each format, read back as a receiver (Slack, Teams, a script) reads them. */
class WebhookPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookPayloads PAYLOADS = new WebhookPayloads(
            new DashboardLinks("https://spc.example", "{public-url}/c/{characteristic_id}?v={violation_id}"));
    private static final Instant AT = Instant.parse("2026-02-02T12:00:00Z");

    private static Event violation(long seq, String characteristic, String ruleName, Severity severity) {
        return EventDraft.builder("violation").characteristicId(characteristic).severity(severity).timestamp(AT)
                .payloadJson("{\"violation_id\":" + seq + ",\"rule_id\":1,\"rule_name\":\"" + ruleName
                                     + "\",\"characteristic_name\":\"Bore\"}").build(seq);
    }

    private static Notification single(Event e) {
        return new Notification("n-1", Notification.Kind.EVENT, "teams", "main", AT, List.of(e), 1,
                                new Notification.Summary(Map.of("Bore", 1L), Map.of(), Map.of(e.severity(), 1L),
                                                         Map.of("violation", 1L), AT, AT), List.of(), 0, 0);
    }

    private static JsonNode render(WebhookTarget.Format format, Notification n) throws Exception {
        return JSON.readTree(PAYLOADS.render(format, n));
    }

    @Test
    void slackGetsATitleTheFactsAndALinkWithItsMarkupEscaped() throws Exception {
        JsonNode s = render(WebhookTarget.Format.SLACK, single(violation(7, "42", "<script>&</script>",
                                                                          Severity.CRITICAL)));
        assertEquals("CRITICAL &lt;script&gt;&amp;&lt;/script&gt; on Bore (#42)", s.get("text").asText());
        JsonNode blocks = s.get("blocks");
        assertEquals("header", blocks.get(0).get("type").asText());
        assertEquals("plain_text", blocks.get(0).get("text").get("type").asText());
        String facts = blocks.get(1).get("fields").toString();
        assertTrue(facts.contains("*Severity*\\nCRITICAL"), facts);
        assertTrue(facts.contains("*Characteristic*\\nBore (#42)"), facts);
        assertTrue(facts.contains("*Rule*\\n&lt;script&gt;&amp;&lt;/script&gt; (rule 1)"), facts);
        assertTrue(facts.contains("*Violation*\\n7"), facts);
        assertEquals("<https://spc.example/c/42?v=7|Open in the dashboard>",
                     blocks.get(2).get("text").get("text").asText());
    }

    @Test
    void teamsGetsAnAdaptiveCardWithFactsAndAnOpenUrlAction() throws Exception {
        JsonNode t = render(WebhookTarget.Format.TEAMS, single(violation(7, "42", "One point beyond 3 sigma",
                                                                          Severity.CRITICAL)));
        assertEquals("message", t.get("type").asText());
        JsonNode card = t.get("attachments").get(0);
        assertEquals("application/vnd.microsoft.card.adaptive", card.get("contentType").asText());
        JsonNode content = card.get("content");
        assertEquals("AdaptiveCard", content.get("type").asText());
        assertEquals("CRITICAL One point beyond 3 sigma on Bore (#42)", content.get("body").get(0).get("text").asText());
        assertEquals("Attention", content.get("body").get(0).get("color").asText());
        Map<String, String> facts = new LinkedHashMap<>();
        content.get("body").get(1).get("facts").forEach(f -> facts.put(f.get("title").asText(), f.get("value").asText()));
        assertEquals("CRITICAL", facts.get("Severity"));
        assertEquals("Bore (#42)", facts.get("Characteristic"));
        assertEquals("One point beyond 3 sigma (rule 1)", facts.get("Rule"));
        assertEquals("2026-02-02T12:00:00Z", facts.get("Time"));
        JsonNode action = content.get("actions").get(0);
        assertEquals("Action.OpenUrl", action.get("type").asText());
        assertEquals("https://spc.example/c/42?v=7", action.get("url").asText());
    }

    @Test
    void aDigestSaysHowManyAndListsTheFirstOnes() throws Exception {
        List<Event> listed = List.of(violation(1, "1", "Rule A", Severity.CRITICAL),
                                     violation(2, "2", "Rule B", Severity.WARNING));
        Notification n = new Notification("n-2", Notification.Kind.DIGEST, "teams", "main", AT, listed, 37,
                                          new Notification.Summary(Map.of("Bore", 30L, "#2", 7L), Map.of("Rule A", 37L),
                                                                   Map.of(Severity.CRITICAL, 35L,
                                                                          Severity.WARNING, 2L),
                                                                   Map.of("violation", 37L), AT, AT.plusSeconds(30)),
                                          List.of(), 0, 0);
        JsonNode json = render(WebhookTarget.Format.JSON, n);
        assertEquals("digest", json.get("kind").asText());
        assertEquals(37, json.get("count").asInt());
        assertEquals("37 violations (35 CRITICAL, 2 WARNING) on 2 characteristics", json.get("title").asText());
        assertEquals(2, json.get("events").size());
        assertEquals(35, json.get("summary").get("by_severity").get("CRITICAL").asInt());
        assertEquals("https://spc.example", json.get("link").asText());

        String slack = render(WebhookTarget.Format.SLACK, n).toString();
        assertTrue(slack.contains("and 35 more"), slack);
    }

    @Test
    void anEscalationNamesItsStepAndAlarms() throws Exception {
        Event opened = violation(9, "42", "One point beyond 3 sigma", Severity.CRITICAL);
        Notification n = new Notification("n-3", Notification.Kind.ESCALATION, "teams", "main", AT, List.of(opened), 1,
                                          Notification.Summary.EMPTY,
                                          List.of(new Notification.Alarm("9", "42", opened.topics(), Severity.CRITICAL,
                                                                         "One point beyond 3 sigma", AT, 9)), 2, 1);
        JsonNode json = render(WebhookTarget.Format.JSON, n);
        assertEquals("Escalation step 2 (repeat 1): 1 unacknowledged alarm", json.get("title").asText());
        assertEquals(2, json.get("escalation_step").asInt());
        assertEquals("9", json.get("alarms").get(0).get("violation_id").asText());
        assertEquals("https://spc.example/c/42?v=9", json.get("link").asText());
        JsonNode teams = render(WebhookTarget.Format.TEAMS, n);
        assertFalse(teams.toString().contains("\"Characteristics\""), "one alarm: its own facts");
    }

    @Test
    void retryAfterIsSecondsOrADateAndIsCapped() {
        assertEquals(java.time.Duration.ofSeconds(2), WebhookNotifier.retryAfter("2").orElseThrow());
        assertEquals(WebhookNotifier.MAX_RETRY_AFTER, WebhookNotifier.retryAfter("86400").orElseThrow());
        assertEquals(java.time.Duration.ZERO, WebhookNotifier.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")
                .orElseThrow(), "a date in the past: now");
        assertTrue(WebhookNotifier.retryAfter("soon").isEmpty());
    }
}
