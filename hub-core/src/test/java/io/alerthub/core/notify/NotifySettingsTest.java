package io.alerthub.core.notify;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.alerthub.core.config.HubConfig;
import io.alerthub.core.event.EventDraft;
import io.alerthub.core.testing.TestHub;
import io.alerthub.spi.ConfigException;
import io.alerthub.spi.Severity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code notify}: one row per bad value and the key it names; the email plugin's shorthand as routes. */
class NotifySettingsTest {

    @TempDir
    Path dir;

    private static NotifySettings read(String yaml) {
        return NotifySettings.create(HubConfig.fromYaml(yaml, Map.of()).root());
    }

    private static final String Q = "notify:\n  receivers: { q: { email: [q@plant.example] } }\n";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `notify: { receivers: { q: {} } }`                          | notify.receivers.q: a receiver names exactly one channel
            `notify: { receivers: { q: { email: [a@b.example], webhook: x } } }` | notify.receivers.q: a receiver names exactly one channel
            `notify: { receivers: { "a b": { email: [a@b.example] } } }` | notify.receivers.a b: a receiver's name
            `  routes: [ { receivers: [nobody] } ]`                      | notify.routes[0].receivers: no receiver named 'nobody'
            `  routes: [ { receivers: [] } ]`                            | notify.routes[0].receivers: is required
            `  routes: [ { receivers: ["webhook:q"] } ]`                 | notify.routes[0].receivers: receiver 'q' is on channel email, not webhook
            `  routes: [ { receivers: [q], group-window: soon } ]`       | notify.routes[0].group-window: 'soon' is not a duration
            `  routes: [ { receivers: [q], digest-size: 0 } ]`           | notify.routes[0].digest-size: 0 is out of range
            `  routes: [ { receivers: [q], rate-limit: { notifications: 0 } } ]` | notify.routes[0].rate-limit.notifications: 0 is out of range
            `  routes: [ { receivers: [q], rate-limit: { per: PT0S } } ]` | notify.routes[0].rate-limit.per: must be longer than zero
            `  routes: [ { receivers: [q], match: { type: "Bad Type" } } ]` | notify.routes[0].match.type: event pattern 'Bad Type'
            `  routes: [ { receivers: [q], match: { topic: nocolon } } ]` | notify.routes[0].match.topic: topic pattern 'nocolon'
            `  routes: [ { receivers: [q], match: { min-severity: HIGH } } ]` | notify.routes[0].match.min-severity: 'HIGH' must be one of
            `  routes: [ { receivers: [q], match: { characteristic-id: "a b" } } ]` | notify.routes[0].match.characteristic-id: 'a b' is not a characteristic id
            `  routes: [ { receivers: [q], match: { type: a, types: [b] } } ]` | notify.routes[0].match.types: give type or types, not both
            `  escalations: [ { steps: [] } ]`                           | notify.escalations[0].steps: is required
            `  escalations: [ { steps: [ { receivers: [q] } ] } ]`        | notify.escalations[0].steps[0].after: is required
            `  escalations: [ { steps: [ { after: PT1H, receivers: [q] }, { after: PT15M, receivers: [q] } ] } ]` | notify.escalations[0].steps[1].after: must be later than the step before
            `  escalations: [ { steps: [ { after: PT1H, receivers: [x] } ] } ]` | notify.escalations[0].steps[0].receivers: no receiver named 'x'
            `  escalations: [ { steps: [ { after: PT1H, receivers: [q] } ], repeat-limit: 2 } ]` | notify.escalations[0].repeat-limit: needs repeat
            `  escalations: [ { steps: [ { after: PT1H, receivers: [q] } ], repeat: PT0S } ]` | notify.escalations[0].repeat: must be longer than zero
            `  inhibit: [ { source: { type: line_down } } ]`              | notify.inhibit[0]: an inhibition rule has source, target and equal
            `  inhibit: [ { source: { type: line_down }, target: { type: violation }, equal: ["Line 7"] } ]` | notify.inhibit[0].equal: 'Line 7' is not a topic name
            `  alarm-types: [violation, "Bad"]`                           | notify.alarm-types: 'Bad' is not an event type
            """)
    void aBadValueStopsTheStartNamingItsKey(String yaml, String message) {
        String config = yaml.startsWith("  ") ? Q + yaml : yaml;
        ConfigException e = assertThrows(ConfigException.class, () -> read(config));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void theEmailPluginsShorthandAndNotifysOwnRoutesDoNotMix() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Q + """
                  routes: [ { receivers: [q] } ]
                plugins:
                  email: { enabled: true, to: [quality@plant.example] }
                """));
        assertTrue(e.getMessage().startsWith("plugins.email.to: notify has receivers, routes or escalations of its"
                                                     + " own: name the recipients in notify.receivers"), e.getMessage());
        ConfigException retry = assertThrows(ConfigException.class, () -> read("""
                plugins:
                  email: { enabled: true, to: [quality@plant.example], retry: { initial-backoff: PT1S } }
                """));
        assertTrue(retry.getMessage().startsWith("plugins.email.retry: retries are the hub's now"), retry.getMessage());
    }

    @Test
    void receiversOnAMissingOrDeafChannelAndUnknownKeysStopTheStartByName() {
        assertStartFails("notify:\n  receivers: { p: { pager: [x] } }\n",
                         "notify.receivers.p.pager: no plugin named pager is installed");
        assertStartFails("notify:\n  receivers: { r: { recorder: x } }\n",
                         "notify.receivers.r.recorder: plugin recorder does not send notifications");
        assertStartFails("notify:\n  routez: []\n", "notify.routez: unknown key");
    }

    private void assertStartFails(String yaml, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> TestHub.start(dir, yaml).close());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    /** The email plugin's rules of earlier versions, as routes: the first that matches decides (RoutingRulesTest). */
    @ParameterizedTest(name = "{0} {1} on [{2}] -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            violation      | CRITICAL | line:9                  | email-rule-1
            sample         | INFO     | line:9                  | email-rule-1
            violation      | CRITICAL | characteristic:1 line:9 | email-rule-1
            violation      | CRITICAL | characteristic:1        | email-rule-2
            violation      | CRITICAL | characteristic:2 line:7 | email-rule-2
            violation      | WARNING  | characteristic:1        | -
            control_limits | CRITICAL | characteristic:1        | -
            violation      | CRITICAL | characteristic:3        | email
            violation      | CRITICAL |                         | email
            violation      | INFO     | characteristic:3        | -
            alert.created  | WARNING  |                         | email-rule-3
            alert.created.v2 | CRITICAL | line:7                | email-rule-3
            alert.created  | INFO     |                         | -
            alert          | CRITICAL |                         | -
            ack_update     | INFO     | characteristic:1        | -
            """)
    void theEmailPluginsRulesAreRoutesAndTheFirstMatchWins(String type, Severity severity, String topics,
                                                           String expected) {
        NotificationPolicy policy = new NotificationPolicy(read("""
                plugins:
                  email:
                    enabled: true
                    to: [quality@plant.example]
                    group-window: PT0S
                    rules:
                      - { types: ["*"], min-severity: INFO, topics: ["line:9"], to: [line9@plant.example] }
                      - { topics: ["characteristic:1", "characteristic:2"], to: [bore@plant.example] }
                      - { types: ["alert.*"], min-severity: WARNING, to: [ops@plant.example] }
                      - { types: [violation] }
                """), null);
        EventDraft.Builder b = EventDraft.builder(type).severity(severity).payloadJson("{}").receivedAt(Instant.EPOCH);
        if (topics != null) {
            for (String t : topics.trim().split("\\s+")) {
                if (t.startsWith("characteristic:")) {
                    b.characteristicId(Long.parseLong(t.substring("characteristic:".length())));
                } else {
                    b.topic(t);
                }
            }
        }
        List<String> to = new ArrayList<>();
        policy.onEvent(b.build(1), 0, e -> to.add(((NotificationPolicy.Created) e).notification().receiver()));
        assertEquals(expected, to.isEmpty() ? "-" : String.join(",", to));
    }

    @Test
    void theShorthandsDefaultsAreTheProtocols() {
        NotifySettings s = read("plugins:\n  email: { enabled: true, to: [quality@plant.example] }\n");
        assertEquals(1, s.routes().size());
        NotifySettings.Route r = s.routes().getFirst();
        assertEquals(List.of("email"), r.receivers());
        assertEquals(java.time.Duration.ofSeconds(30), r.groupWindow());
        assertEquals(50, r.digestSize());
        assertEquals(new NotifySettings.RateLimit(10, java.time.Duration.ofMinutes(10)), r.rateLimit());
        assertEquals(Severity.CRITICAL, r.match().minSeverity());
        assertTrue(s.escalations().isEmpty(), "reminders are off by default");
        assertTrue(read("plugins:\n  email: { enabled: false, to: [q@plant.example] }\n").isEmpty(),
                   "a disabled plugin's shorthand routes nothing");
        NotifySettings reminders = read("""
                plugins:
                  email: { enabled: true, to: [q@plant.example], reminder: { enabled: true, after: PT10M, max: 3 } }
                """);
        NotifySettings.EscalationPolicy p = reminders.escalations().getFirst();
        assertEquals(java.time.Duration.ofMinutes(10), p.steps().getFirst().after());
        assertEquals(java.time.Duration.ofMinutes(10), p.repeat(), "repeat defaults to after");
        assertEquals(2, p.repeatLimit(), "max 3 reminders: the step and two repeats");
    }
}
