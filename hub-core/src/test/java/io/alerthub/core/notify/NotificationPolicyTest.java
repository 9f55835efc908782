package io.alerthub.core.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.testing.TestClock;
import io.alerthub.spi.Event;
import io.alerthub.spi.Notification;
import io.alerthub.spi.Severity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notification policy's decisions on a test clock: no thread, no I/O, no waiting. */
class NotificationPolicyTest {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;

    private long seq;
    private long now = T0.toEpochMilli();
    /** The same time, for what reads a clock (the silences). */
    private final TestClock clock = new TestClock(T0);
    private final List<NotificationPolicy.Effect> out = new ArrayList<>();

    private NotificationPolicy policy(String notifyYaml) {
        return policy(notifyYaml, null);
    }

    private NotificationPolicy policy(String notifyYaml, Silences silences) {
        String yaml = "notify:\n" + notifyYaml.stripIndent().lines().map(l -> "  " + l + "\n")
                .reduce("", String::concat);
        return new NotificationPolicy(NotifySettings.create(HubConfig.fromYaml(yaml, Map.of()).root()), silences);
    }

    private static final String RECEIVERS = """
            receivers:
              quality: { email: [quality@plant.example] }
              shift: { email: [shift@plant.example] }
              teams: { webhook: teams }
            """;

    private Event violation(Object id, String topic, Severity severity) {
        return EventDraft.builder("violation").characteristicId(7).topic(topic).severity(severity)
                .receivedAt(Instant.ofEpochMilli(now))
                .payloadJson("{\"violation_id\":" + (id instanceof String s ? "\"" + s + "\"" : id)
                                     + ",\"rule_name\":\"Rule 1\"}").build(++seq);
    }

    private Event event(String type, String payload) {
        return EventDraft.builder(type).characteristicId(7).receivedAt(Instant.ofEpochMilli(now)).payloadJson(payload)
                .build(++seq);
    }

    private void at(Duration sinceStart, NotificationPolicy p) {
        now = T0.plus(sinceStart).toEpochMilli();
        clock.set(Instant.ofEpochMilli(now));
        p.tick(now, out::add);
    }

    private void give(NotificationPolicy p, Event e) {
        p.onEvent(e, now, out::add);
    }

    private List<Outgoing> sent() {
        List<Outgoing> n = new ArrayList<>();
        for (NotificationPolicy.Effect e : out) {
            if (e instanceof NotificationPolicy.Created c) {
                n.add(c.notification());
            }
        }
        return n;
    }

    private List<String> sentAs(String what) {
        return sent().stream().map(o -> switch (what) {
            case "receiver" -> o.receiver();
            case "kind" -> o.kind().name();
            case "count" -> Long.toString(o.count());
            default -> o.receiver() + ":" + o.kind() + ":" + o.count() + (o.step() > 0 ? ":step" + o.step() + "/"
                    + o.repeat() : "");
        }).toList();
    }

    @Test
    void eventsWithinTheGroupWindowBecomeOneDigestAndTheNextOneStartsAnother() {
        NotificationPolicy p = policy(RECEIVERS + """
                routes:
                  - { receivers: [quality], group-window: PT30S }
                """);
        give(p, violation(1, "line:7", Severity.CRITICAL));
        at(Duration.ofSeconds(10), p);
        give(p, violation(2, "line:7", Severity.CRITICAL));
        give(p, violation(3, "line:7", Severity.WARNING));
        at(Duration.ofSeconds(29), p);
        assertTrue(sent().isEmpty(), "the window is still open");
        at(Duration.ofSeconds(30), p);
        assertEquals(List.of("quality:DIGEST:2"), sentAs("all"), "the WARNING is not routed (CRITICAL by default)");
        give(p, violation(4, "line:7", Severity.CRITICAL));
        at(Duration.ofSeconds(60), p);
        assertEquals(List.of("quality:DIGEST:2", "quality:EVENT:1"), sentAs("all"));
        Notification n = sent().getFirst().toNotification("quality@plant.example");
        assertEquals(List.of(1L, 2L), n.events().stream().map(Event::seq).toList());
        assertEquals(Map.of(Severity.CRITICAL, 2L), n.summary().bySeverity());
        assertEquals(Map.of("#7", 2L), n.summary().byCharacteristic());
    }

    @Test
    void aZeroWindowSendsEachEventAtOnceUntilTheRateLimitFoldsTheRestIntoADigest() {
        NotificationPolicy p = policy(RECEIVERS + """
                routes:
                  - receivers: [quality]
                    group-window: PT0S
                    rate-limit: { notifications: 2, per: PT1M }
                """);
        for (int i = 1; i <= 5; i++) {
            give(p, violation(i, "line:7", Severity.CRITICAL));
        }
        assertEquals(List.of("quality:EVENT:1", "quality:EVENT:1"), sentAs("all"));
        at(Duration.ofSeconds(59), p);
        assertEquals(2, sent().size(), "no slot before the first send leaves the minute");
        at(Duration.ofSeconds(60), p);
        assertEquals(List.of("quality:EVENT:1", "quality:EVENT:1", "quality:DIGEST:3"), sentAs("all"));
    }

    @Test
    void aStormOfTenThousandBecomesAHandfulOfDigestsThatCountEveryEvent() {
        NotificationPolicy p = policy(RECEIVERS + """
                routes:
                  - receivers: [quality, teams]
                    group-window: PT1S
                    digest-size: 50
                    rate-limit: { notifications: 3, per: PT10S }
                """);
        for (int i = 1; i <= 10_000; i++) {
            give(p, violation(i, "line:" + i % 9, Severity.CRITICAL));
            if (i % 100 == 0) {
                at(Duration.ofMillis(i), p);
            }
        }
        for (int s = 11; s <= 40; s++) {
            at(Duration.ofSeconds(s), p);
        }
        for (String receiver : List.of("quality", "teams")) {
            List<Outgoing> mine = sent().stream().filter(o -> o.receiver().equals(receiver)).toList();
            assertEquals(10_000, mine.stream().mapToLong(Outgoing::count).sum(), "every event counted once");
            assertTrue(mine.size() <= 3 * (1 + 1), receiver + ": " + mine.size() + " notifications");
            assertTrue(mine.stream().allMatch(o -> o.events().size() <= 50), "at most 50 listed");
        }
    }

    @Test
    void theFirstMatchingRouteWinsUnlessItSaysContinue() {
        NotificationPolicy p = policy(RECEIVERS + """
                routes:
                  - { match: { topic: "line:9" }, receivers: [shift], group-window: PT0S, continue: true }
                  - { match: { type: violation, min-severity: WARNING, topic: "line:*" }, receivers: [teams], group-window: PT0S }
                  - { receivers: [quality], group-window: PT0S }
                """);
        give(p, violation(1, "line:9", Severity.INFO));
        give(p, violation(2, "line:7", Severity.WARNING));
        give(p, violation(3, "area:1", Severity.CRITICAL));
        give(p, event("sample", "{}"));
        assertEquals(List.of("shift", "teams", "quality"), sentAs("receiver").subList(0, 3));
        assertEquals(3, sent().size(), "line:9 INFO matches the second route's topic but not its severity");
    }

    @Test
    void anActiveSourceAlarmInhibitsTargetsThatShareTheNamedTopicUntilItIsCleared() {
        NotificationPolicy p = policy(RECEIVERS + """
                alarm-types: [violation, line_down]
                routes:
                  - { match: { type: violation }, receivers: [quality], group-window: PT0S }
                inhibit:
                  - { source: { type: line_down }, target: { type: violation }, equal: [line] }
                """);
        give(p, EventDraft.builder("line_down").topic("line:7").severity(Severity.CRITICAL)
                .receivedAt(Instant.ofEpochMilli(now)).payloadJson("{\"violation_id\":\"L7\"}").build(++seq));
        give(p, violation(1, "line:7", Severity.CRITICAL));
        give(p, violation(2, "line:8", Severity.CRITICAL));
        assertEquals(List.of("quality:EVENT:1"), sentAs("all"));
        assertEquals(3L, sent().getFirst().events().getFirst().seq(), "only line 8's violation");
        assertEquals(1, p.counts().inhibited);
        give(p, event("violation_cleared", "{\"violation_id\":\"L7\"}"));
        give(p, violation(3, "line:7", Severity.CRITICAL));
        assertEquals(2, sent().size(), "the source is cleared: line 7 is notified again");
    }

    @Test
    void aSilencedEventIsNeitherRoutedNorEscalated() {
        NotificationPolicy p = policy(RECEIVERS + """
                routes:
                  - { receivers: [quality], group-window: PT0S }
                escalations:
                  - steps: [ { after: PT1M, receivers: [shift] } ]
                """);
        Event silenced = EventDraft.builder("violation").severity(Severity.CRITICAL)
                .receivedAt(Instant.ofEpochMilli(now)).payloadJson("{\"violation_id\":1}").draft()
                .silencedBy(List.of("s-1")).withSeq(++seq);
        give(p, silenced);
        at(Duration.ofMinutes(5), p);
        assertTrue(sent().isEmpty());
        assertEquals(1, p.counts().silenced);
        assertEquals(0, p.escalationsScheduled());
    }

    private static final String ESCALATION = RECEIVERS + """
            escalations:
              - match: { type: violation, min-severity: CRITICAL }
                steps:
                  - { after: PT15M, receivers: [shift] }
                  - { after: PT1H, receivers: [shift, teams] }
                repeat: PT30M
            """;

    @Test
    void stepsFireInTurnThenTheLastRepeatsUntilTheAlarmIsAcknowledged() {
        NotificationPolicy p = policy(ESCALATION);
        give(p, violation(456, "line:7", Severity.CRITICAL));
        give(p, violation(457, "line:7", Severity.WARNING));
        at(Duration.ofMinutes(14), p);
        assertTrue(sent().isEmpty());
        at(Duration.ofMinutes(15), p);
        assertEquals(List.of("shift:ESCALATION:1:step1/0"), sentAs("all"));
        at(Duration.ofMinutes(60), p);
        at(Duration.ofMinutes(89), p);
        at(Duration.ofMinutes(90), p);
        assertEquals(List.of("shift:ESCALATION:1:step1/0", "shift:ESCALATION:1:step2/0", "teams:ESCALATION:1:step2/0",
                             "shift:ESCALATION:1:step2/1", "teams:ESCALATION:1:step2/1"), sentAs("all"));
        assertEquals(List.of(1, 2), out.stream().filter(e -> e instanceof NotificationPolicy.Escalated)
                .map(e -> ((NotificationPolicy.Escalated) e).step()).toList(), "the alarm's step changes twice");
        give(p, event("ack_update", "{\"violation_id\":456,\"acknowledged\":true,\"ack_user\":\"op\"}"));
        at(Duration.ofHours(5), p);
        assertEquals(5, sent().size(), "the acknowledgement stops it");
        assertEquals(0, p.escalationsScheduled());
    }

    @Test
    void aClearStopsAnEscalationAndARepeatLimitEndsIt() {
        NotificationPolicy p = policy(RECEIVERS + """
                escalations:
                  - steps: [ { after: PT1M, receivers: [shift] } ]
                    repeat: PT1M
                    repeat-limit: 2
                """);
        give(p, violation(1, "line:7", Severity.CRITICAL));
        give(p, violation(2, "line:7", Severity.CRITICAL));
        at(Duration.ofMinutes(1), p);
        assertEquals(List.of("shift:ESCALATION:2:step1/0"), sentAs("all"), "both alarms in one notification");
        give(p, event("violation_cleared", "{\"violation_id\":2}"));
        for (int m = 2; m <= 10; m++) {
            at(Duration.ofMinutes(m), p);
        }
        assertEquals(List.of("shift:ESCALATION:2:step1/0", "shift:ESCALATION:1:step1/1",
                             "shift:ESCALATION:1:step1/2"), sentAs("all"));
        assertEquals(0, p.escalationsScheduled());
    }

    @Test
    void afterARestartAStepDueWhileTheHubWasDownFiresOnceNotOncePerMissedInterval() throws Exception {
        NotificationPolicy before = policy(ESCALATION);
        give(before, violation(456, "line:7", Severity.CRITICAL));
        at(Duration.ofMinutes(20), before);
        assertEquals(List.of("shift:ESCALATION:1:step1/0"), sentAs("all"));
        String state = new ObjectMapper().writeValueAsString(before.toJson());

        out.clear();
        NotificationPolicy after = policy(ESCALATION);
        after.restore(new ObjectMapper().readTree(state));
        at(Duration.ofHours(5), after);
        assertEquals(List.of("shift:ESCALATION:1:step2/0", "teams:ESCALATION:1:step2/0"), sentAs("all"),
                     "step 2 once; not the eight repeats missed since it fell due");
        at(Duration.ofHours(5).plusMinutes(29), after);
        at(Duration.ofHours(5).plusMinutes(30), after);
        assertEquals(4, sent().size(), "repeats go on from the restart, one interval at a time");
        give(after, violation(456, "line:7", Severity.CRITICAL));
        assertEquals(1, after.escalationsScheduled(), "a repeat violation of the ACTIVE alarm starts nothing new");
    }

    @Test
    void anEscalationStepIsHeldBackDuringAMaintenanceWindowAndFiresOnceWhenItEnds() {
        Silences silences = Silences.open(dir.resolve("silences.json"), clock);
        NotificationPolicy p = policy(ESCALATION, silences);
        give(p, violation(456, "line:7", Severity.CRITICAL));
        at(Duration.ofMinutes(10), p);
        silences.create(new ObjectMapper().createObjectNode()
                                .<com.fasterxml.jackson.databind.node.ObjectNode>set("matchers",
                                        new ObjectMapper().createObjectNode().put("topic", "line:7"))
                                .put("duration", "PT2H").put("created_by", "maintenance"));
        at(Duration.ofMinutes(15), p);
        at(Duration.ofMinutes(60), p);
        at(Duration.ofMinutes(129), p);
        assertTrue(sent().isEmpty(), "held back while line 7 is in maintenance");
        at(Duration.ofMinutes(131), p);
        assertEquals(List.of("shift:ESCALATION:1:step2/0", "teams:ESCALATION:1:step2/0"), sentAs("all"),
                     "when the window ends: once, the step now due");
    }
}
