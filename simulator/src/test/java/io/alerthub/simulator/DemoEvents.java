package io.alerthub.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code ./alerthub demo} publishes, for the tests of other modules (this module's test-jar): the default
 * simulation's rounds, each the batch the demo posts to {@code POST /api/v1/events}, computed without a hub.
 */
public final class DemoEvents {

    private DemoEvents() {
    }

    /**
     * The first rounds of the default demo (three characteristics, subgroups of 5, a baseline of 20, all rules).
     *
     * @param seed   the demo's {@code --seed}
     * @param rounds how many rounds; from round 20 on there are limits, and by round 60 violations on every seed
     *               {@code SimulatorTest} tries
     * @param at     the time every round is taken at (the demo takes one a second)
     */
    public static List<List<ObjectNode>> rounds(long seed, int rounds, Instant at) {
        Simulator simulator = new Simulator(SimulationSettings.defaults(seed), 1, events -> { },
                                            Clock.fixed(at, ZoneOffset.UTC));
        List<List<ObjectNode>> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            out.add(simulator.round());
        }
        return out;
    }
}
