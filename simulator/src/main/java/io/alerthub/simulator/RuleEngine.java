package io.alerthub.simulator;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which Nelson rules the newest point of a chart trips.
 *
 * <p>A pattern rule is reported once, at the point that completes it: nine points above the center line trip rule
 * 2 at the ninth, and a tenth point on the same side continues that signal rather than raising a new one (the
 * pattern held already one point earlier). Only when the pattern has been broken can it trip again. Rule 1 is the
 * exception: every point beyond the limits is a signal of its own.
 */
final class RuleEngine {

    private final Set<NelsonRule> enabled;

    RuleEngine(Set<NelsonRule> enabled) {
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(NelsonRule.class) : EnumSet.copyOf(enabled);
    }

    /**
     * The rules the newest value trips, in rule order.
     *
     * @param values the chart's points, oldest first; only the newest {@link NelsonRule#MAX_SPAN} + 1 matter
     * @param limits the limits the points are judged against
     */
    List<NelsonRule> tripped(double[] values, ControlLimits limits) {
        double[] z = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            z[i] = limits.sigmas(values[i]);
        }
        int newest = z.length - 1;
        List<NelsonRule> out = new ArrayList<>();
        for (NelsonRule rule : enabled) {
            if (rule.holds(z, newest)
                    && (rule == NelsonRule.BEYOND_3_SIGMA || !rule.holds(z, newest - 1))) {
                out.add(rule);
            }
        }
        return out;
    }
}
