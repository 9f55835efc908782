package io.alerthub.email;

import java.util.List;
import java.util.Optional;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;
import io.alerthub.spi.Severity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which rule takes an event: the first that matches, or none (then it is not mailed). */
class RoutingRulesTest {

    private static final List<RoutingRule> RULES = EmailSettings.create(ConfigSections.email("""
            to: [quality@plant.example]
            rules:
              - { types: ["*"], min-severity: INFO, topics: ["line:9"], to: [line9@plant.example] }
              - { topics: ["characteristic:1", "characteristic:2"], to: [bore@plant.example] }
              - { types: ["alert.*"], min-severity: WARNING, to: [ops@plant.example] }
              - { types: [violation] }
            """)).rules();

    private static final List<RoutingRule> DEFAULT = EmailSettings.create(ConfigSections.email("""
            to: [quality@plant.example]
            """)).rules();

    private static final List<RoutingRule> FILTER = EmailSettings.create(ConfigSections.email("""
            to: [quality@plant.example]
            filter: { types: [violation, "alert.*"], min-severity: WARNING }
            """)).rules();

    @ParameterizedTest(name = "{0} {1} on [{2}] -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            violation      | CRITICAL | line:9                  | line9@plant.example
            sample         | INFO     | line:9                  | line9@plant.example
            violation      | CRITICAL | characteristic:1 line:9 | line9@plant.example
            violation      | CRITICAL | characteristic:1        | bore@plant.example
            violation      | CRITICAL | characteristic:2 line:7 | bore@plant.example
            violation      | WARNING  | characteristic:1        | -
            control_limits | CRITICAL | characteristic:1        | -
            violation      | CRITICAL | characteristic:3        | quality@plant.example
            violation      | CRITICAL |                         | quality@plant.example
            violation      | INFO     | characteristic:3        | -
            alert.created  | WARNING  |                         | ops@plant.example
            alert.created.v2 | CRITICAL | line:7                | ops@plant.example
            alert.created  | INFO     |                         | -
            alert          | CRITICAL |                         | -
            ack_update     | INFO     | characteristic:1        | -
            sample         | INFO     | characteristic:1        | -
            """)
    void rulesAreTriedInOrderAndTheFirstMatchWins(String type, Severity severity, String topics, String expected) {
        assertEquals(expected, route(RULES, type, severity, topics));
    }

    @ParameterizedTest(name = "default: {0} {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            violation     | CRITICAL | characteristic:3 | quality@plant.example
            violation     | WARNING  | characteristic:3 | -
            violation     | INFO     |                  | -
            sample        | CRITICAL | characteristic:3 | -
            alert.created | CRITICAL |                  | -
            """)
    void byDefaultOnlyCriticalViolationsAreMailedToTo(String type, Severity severity, String topics, String expected) {
        assertEquals(expected, route(DEFAULT, type, severity, topics));
    }

    @ParameterizedTest(name = "filter: {0} {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            violation     | WARNING  | | quality@plant.example
            violation     | INFO     | | -
            alert.created | CRITICAL | | quality@plant.example
            sample        | CRITICAL | | -
            """)
    void theProtocolsFilterIsOneRuleForTo(String type, Severity severity, String topics, String expected) {
        assertEquals(expected, route(FILTER, type, severity, topics));
    }

    private static String route(List<RoutingRule> rules, String type, Severity severity, String topics) {
        EventDraft.Builder b = EventDraft.builder(type).severity(severity).payloadJson("{}");
        if (topics != null) {
            for (String t : topics.trim().split("\\s+")) {
                if (t.startsWith("characteristic:")) {
                    b.characteristicId(Long.parseLong(t.substring("characteristic:".length())));
                } else {
                    b.topic(t);
                }
            }
        }
        Event e = b.build(1);
        Optional<RoutingRule> rule = rules.stream().filter(r -> r.matches(e)).findFirst();
        return rule.map(r -> r.to().key()).orElse("-");
    }
}
