package io.alerthub.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One characteristic's chart: takes a subgroup from its process, judges it against the limits in force, and
 * re-estimates the limits from a fresh baseline when the machine was adjusted (after a tool change the old limits
 * describe a process that no longer exists).
 */
final class CharacteristicRun {

    /**
     * What one subgroup produced.
     *
     * @param events     to publish, in order: the sample, its violations, then new limits if any
     * @param violations the violations found on the sample
     * @param change     what happened to the process, if anything
     * @param newLimits  limits estimated with this subgroup, in force from the next one
     */
    record Step(List<ObjectNode> events, List<SpcEvents.Violation> violations, Optional<ProcessModel.Change> change,
                Optional<ControlLimits> newLimits) {
    }

    private final CharacteristicSpec spec;
    private final ProcessModel process;
    private final RuleEngine rules;
    private final int baselineSize;
    private final AtomicLong sampleIds;
    private final AtomicLong violationIds;
    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private final List<Subgroup> baseline = new ArrayList<>();
    private boolean collecting = true;
    private String baselineReason;
    private ControlLimits limits;

    /**
     * @param sampleIds    shared by every characteristic: sample ids are unique across the hub
     * @param violationIds shared likewise: the acknowledge endpoint knows a violation by its id alone
     */
    CharacteristicRun(CharacteristicSpec spec, int subgroupSize, int baselineSize, RuleEngine rules,
                      RandomGenerator random, AtomicLong sampleIds, AtomicLong violationIds) {
        this.spec = spec;
        this.process = new ProcessModel(spec, subgroupSize, baselineSize, random);
        this.rules = rules;
        this.baselineSize = baselineSize;
        this.sampleIds = sampleIds;
        this.violationIds = violationIds;
        this.baselineReason = "initial baseline of " + baselineSize + " subgroups";
    }

    CharacteristicSpec spec() {
        return spec;
    }

    /** Takes, judges and publishes the next subgroup, taken at {@code now}. */
    Step next(Instant now) {
        Subgroup s = new Subgroup(sampleIds.getAndIncrement(), now, process.next());
        Optional<ProcessModel.Change> change = process.change();
        recent.addLast(s.mean());
        if (recent.size() > NelsonRule.MAX_SPAN + 1) {
            recent.removeFirst();
        }
        List<SpcEvents.Violation> violations = new ArrayList<>();
        if (limits != null) {
            double[] values = recent.stream().mapToDouble(Double::doubleValue).toArray();
            for (NelsonRule rule : rules.tripped(values, limits)) {
                violations.add(new SpcEvents.Violation(violationIds.getAndIncrement(), rule));
                if (rule == NelsonRule.BEYOND_3_SIGMA) {
                    process.alarm();
                }
            }
        }
        List<ObjectNode> events = new ArrayList<>();
        events.add(SpcEvents.sample(spec, s, limits, violations));
        for (SpcEvents.Violation v : violations) {
            events.add(SpcEvents.violation(spec, s, limits, v));
        }

        Optional<ControlLimits> estimated = Optional.empty();
        if (collecting) {
            baseline.add(s);
            if (baseline.size() == baselineSize) {
                limits = ControlLimits.estimate(baseline);
                estimated = Optional.of(limits);
                events.add(SpcEvents.controlLimits(spec, limits, s, baselineSize, baselineReason));
                baseline.clear();
                collecting = false;
            }
        }
        if (change.isPresent() && change.get().adjusted()) {
            baseline.clear();
            collecting = true;
            baselineReason = "recalculated from " + baselineSize + " subgroups taken after the machine was adjusted";
        }
        return new Step(events, violations, change, estimated);
    }
}
