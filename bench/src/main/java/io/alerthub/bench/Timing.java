package io.alerthub.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each part of a run takes: the quick run (under five minutes) and the full one.
 *
 * @param firstWarmup  the warm-up of every server before the first measurement (the JVMs' JIT)
 * @param lightWarmup  the first warm-up where less is enough: the Node peer (V8 warms up faster than a JVM's JIT)
 *                     and the MQTT scenario's hub (100 events/s); the quick run spends its time on the JVMs
 * @param warmup       warm-up before each later scenario
 * @param measure      one measurement of a fixed-rate scenario
 * @param drain        how long deliveries may still arrive after publishing stops
 * @param rampStep     one ramp step
 * @param rampStart    the ramp's first rate, in deliveries per second
 * @param rampFactor   each step's rate over the previous one
 * @param refinements  steps tried between the last sustained rate and the first failed one
 * @param sweep        subscriber counts of the one-topic latency sweep
 * @param rampSubscribers subscriber counts the ramp is run with
 * @param idleConnections connections of the idle scenario
 * @param churn        how long the churn lasts
 * @param ingest       how long ingest is measured
 * @param allPeers     peers in every scenario (full run); the quick run measures the Node peer where the target
 *                     compares with it and the minimal server only in the ramp (the generator's ceiling)
 */
record Timing(Duration firstWarmup, Duration lightWarmup, Duration warmup, Duration measure, Duration drain,
              Duration rampStep, double rampStart, double rampFactor, int refinements, List<Integer> sweep,
              List<Integer> rampSubscribers, int idleConnections, Duration churn, Duration ingest,
              boolean allPeers) {

    /** For the results file: durations in seconds. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first_warmup_s", firstWarmup.toSeconds());
        m.put("light_warmup_s", lightWarmup.toSeconds());
        m.put("warmup_s", warmup.toSeconds());
        m.put("measure_s", measure.toSeconds());
        m.put("drain_s", drain.toSeconds());
        m.put("ramp_step_s", rampStep.toMillis() / 1000.0);
        m.put("ramp_start_deliveries_per_s", rampStart);
        m.put("ramp_factor", rampFactor);
        m.put("ramp_refinements", refinements);
        m.put("sweep_subscribers", sweep);
        m.put("ramp_subscribers", rampSubscribers);
        m.put("idle_connections", idleConnections);
        m.put("churn_s", churn.toSeconds());
        m.put("ingest_s", ingest.toSeconds());
        m.put("all_peers", allPeers);
        return m;
    }

    /** The same timing with other subscriber counts for the latency sweep. */
    Timing withSweep(List<Integer> counts) {
        return new Timing(firstWarmup, lightWarmup, warmup, measure, drain, rampStep, rampStart, rampFactor,
                          refinements, List.copyOf(counts), rampSubscribers, idleConnections, churn, ingest, allPeers);
    }

    static Timing of(boolean quick) {
        if (quick) {
            return new Timing(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2),
                              Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofMillis(3500), 80_000, 2.0, 1,
                              List.of(100, 1000), List.of(1000), 10_000, Duration.ofSeconds(10), Duration.ofSeconds(5), false);
        }
        return new Timing(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
                          Duration.ofSeconds(20), Duration.ofSeconds(3), Duration.ofSeconds(8), 20_000, 1.25, 2,
                          List.of(100, 250, 500, 1000, 2000), List.of(100, 1000), 10_000, Duration.ofSeconds(30),
                          Duration.ofSeconds(15), true);
    }
}
