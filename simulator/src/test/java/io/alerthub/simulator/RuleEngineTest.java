package io.alerthub.simulator;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sequences in (in sigmas from the center line, newest last), the rules the newest point trips out. */
class RuleEngineTest {

    private static final ControlLimits UNIT = ControlLimits.of(0, 1, 5);

    static Stream<Arguments> sequences() {
        return Stream.of(
                row("nothing unusual", List.of(), 0.3, -0.8, 1.2, -0.1),
                row("a point above 3 sigma", List.of(1), 0.5, -0.2, 3.2),
                row("a point below 3 sigma", List.of(1), -0.5, 0.2, -3.01),
                row("exactly 3 sigma is still inside", List.of(), 0.5, 3.0),
                row("a second point beyond 3 sigma is a signal of its own", List.of(1), 0.1, 2.5, 3.5, 3.4),
                row("nine points above the center line", List.of(2),
                    0.5, 0.4, 0.6, 0.3, 0.2, 0.7, 0.5, 0.1, 0.4),
                row("nine points below the center line", List.of(2),
                    -0.5, -0.4, -0.6, -0.3, -0.2, -0.7, -0.5, -0.1, -0.4),
                row("eight points on one side are not yet rule 2", List.of(),
                    -0.5, 0.4, 0.6, 0.3, 0.2, 0.7, 0.5, 0.1, 0.4),
                row("a tenth point on the same side continues the signal", List.of(),
                    0.5, 0.4, 0.6, 0.3, 0.2, 0.7, 0.5, 0.1, 0.4, 0.3),
                row("a point on the center line breaks the run", List.of(),
                    0.5, 0.4, 0.6, 0.3, 0.2, 0.7, 0.5, 0.1, 0.0),
                row("six points steadily increasing", List.of(3), -1.0, -0.6, -0.2, 0.2, 0.6, 0.9),
                row("six points steadily decreasing", List.of(3), 0.9, 0.6, 0.2, -0.2, -0.6, -0.9),
                row("five increasing points are not a trend", List.of(), 0.5, -0.6, -0.2, 0.2, 0.6, 0.9),
                row("a tie breaks a trend", List.of(), -1.0, -0.6, -0.6, 0.2, 0.6, 0.9),
                row("fourteen points alternating up and down", List.of(4),
                    0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5),
                row("thirteen alternating points are not rule 4", List.of(),
                    0.6, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5),
                row("two of three points beyond 2 sigma above", List.of(5), 0.0, 2.5, 0.5, 2.1),
                row("two of three points beyond 2 sigma below", List.of(5), 0.0, -2.2, -2.4),
                row("beyond 2 sigma on opposite sides is not rule 5", List.of(), 0.0, 2.5, -2.2),
                row("four of five points beyond 1 sigma above", List.of(6), 0.0, 1.5, 1.2, 0.5, 1.8, 1.1),
                row("four of five points beyond 1 sigma below", List.of(6), 0.0, -1.5, -1.2, -1.8, -1.1),
                row("three of five beyond 1 sigma are not rule 6", List.of(), 0.0, 1.5, 0.2, 0.5, 1.8, 1.1),
                row("fifteen points within 1 sigma", List.of(7),
                    0.1, 0.3, -0.2, -0.4, 0.5, 0.2, -0.1, 0.3, -0.5, -0.3, 0.2, 0.4, -0.2, 0.1, 0.3),
                row("fourteen points within 1 sigma are not rule 7", List.of(),
                    1.5, 0.3, -0.2, -0.4, 0.5, 0.2, -0.1, 0.3, -0.5, -0.3, 0.2, 0.4, -0.2, 0.1, 0.3),
                row("eight points beyond 1 sigma on either side", List.of(8),
                    1.5, -1.4, 1.2, -1.8, 1.3, -1.1, 1.6, -1.2),
                row("a point beyond 3 sigma that also completes two of three beyond 2 sigma", List.of(1, 5),
                    0.0, 2.5, 3.4),
                row("a sustained shift trips rules 5 and 6 together", List.of(5, 6), 0.0, 1.5, 1.2, 2.3, 2.6));
    }

    private static Arguments row(String name, List<Integer> rules, double... values) {
        return Arguments.of(name, values, rules);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void newestPointTripsExactlyTheseRules(String name, double[] values, List<Integer> expected) {
        RuleEngine engine = new RuleEngine(EnumSet.allOf(NelsonRule.class));
        List<Integer> tripped = engine.tripped(values, UNIT).stream().map(NelsonRule::id).toList();
        assertEquals(expected, tripped, name + ": " + Arrays.toString(values));
    }

    @Test
    void limitsTranslateValuesIntoSigmas() {
        ControlLimits limits = ControlLimits.of(25.0, 0.004, 5);
        RuleEngine engine = new RuleEngine(EnumSet.allOf(NelsonRule.class));
        assertEquals(List.of(NelsonRule.BEYOND_3_SIGMA), engine.tripped(new double[] {25.001, 25.013}, limits));
        assertEquals(List.of(), engine.tripped(new double[] {25.001, 25.011}, limits));
    }

    @Test
    void onlyEnabledRulesAreReported() {
        RuleEngine engine = new RuleEngine(EnumSet.of(NelsonRule.TWO_OF_THREE_BEYOND_2_SIGMA));
        assertEquals(List.of(NelsonRule.TWO_OF_THREE_BEYOND_2_SIGMA),
                     engine.tripped(new double[] {0.0, 2.5, 3.4}, UNIT));
        assertEquals(List.of(), new RuleEngine(EnumSet.noneOf(NelsonRule.class))
                .tripped(new double[] {0.0, 2.5, 3.4}, UNIT));
    }

    @Test
    void rulesAreNumberedAsNelsonNumberedThem() {
        for (int id = 1; id <= 8; id++) {
            assertEquals(id, NelsonRule.byId(id).id());
        }
        assertEquals("CRITICAL", NelsonRule.BEYOND_3_SIGMA.severity());
        assertEquals("WARNING", NelsonRule.NINE_ON_ONE_SIDE.severity());
    }
}
