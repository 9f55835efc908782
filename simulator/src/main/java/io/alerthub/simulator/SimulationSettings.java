package io.alerthub.simulator;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How the simulator runs.
 *
 * @param characteristics what it simulates
 * @param rate            subgroups per second, per characteristic
 * @param subgroupSize    measurements per subgroup (1 = an individuals chart)
 * @param baseline        subgroups the limits are estimated from
 * @param rules           the Nelson rules it checks
 * @param seed            the random seed: the same seed gives the same measurements
 */
record SimulationSettings(List<CharacteristicSpec> characteristics, double rate, int subgroupSize, int baseline,
                          Set<NelsonRule> rules, long seed) {

    static final double DEFAULT_RATE = 1.0;
    static final int MAX_RATE = 100;
    static final int DEFAULT_SUBGROUP_SIZE = 5;
    static final int DEFAULT_BASELINE = 20;
    static final int MIN_BASELINE = 10;
    static final int MAX_BASELINE = 500;

    SimulationSettings {
        characteristics = List.copyOf(characteristics);
        rules = rules.isEmpty() ? EnumSet.noneOf(NelsonRule.class) : EnumSet.copyOf(rules);
        if (characteristics.isEmpty()) {
            throw new IllegalArgumentException("--characteristics: at least one characteristic is needed");
        }
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be above 0 and at most " + MAX_RATE
                    + " subgroups per second per characteristic");
        }
        if (subgroupSize < 1 || subgroupSize > ControlLimits.MAX_SUBGROUP_SIZE) {
            throw new IllegalArgumentException("--subgroup-size must be from 1 to " + ControlLimits.MAX_SUBGROUP_SIZE);
        }
        if (baseline < MIN_BASELINE || baseline > MAX_BASELINE) {
            throw new IllegalArgumentException("--baseline must be from " + MIN_BASELINE + " to " + MAX_BASELINE
                    + " subgroups");
        }
    }

    /** Everything at its default: the first three catalogue characteristics, all eight rules. */
    static SimulationSettings defaults(long seed) {
        return new SimulationSettings(CharacteristicSpec.defaults(3), DEFAULT_RATE, DEFAULT_SUBGROUP_SIZE,
                                      DEFAULT_BASELINE, EnumSet.allOf(NelsonRule.class), seed);
    }
}
