package io.alerthub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each issue-19 target judged from a run's results: one row per case and the verdict it must get. */
class RoundTwoTargetsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                row("ahead of Node ws", "met", r -> {
                    step(r, "latency-100", Targets.HUB, 1, 2.0, 0);
                    step(r, "latency-100", Targets.NODE, 1, 2.5, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 1.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.NODE, 1, 1.5, 0);
                }),
                row("ahead of Node ws", "not met", r -> {
                    step(r, "latency-100", Targets.HUB, 1, 2.0, 0);
                    step(r, "latency-100", Targets.NODE, 1, 2.5, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 2.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.NODE, 1, 1.5, 0);
                }),
                row("ahead of Node ws", "not met", r -> {
                    step(r, "latency-100", Targets.HUB, 1, 2.0, 3);
                    step(r, "latency-100", Targets.NODE, 1, 2.5, 0);
                }),
                row("ahead of Node ws", "not measured", r -> step(r, "latency-100", Targets.HUB, 1, 2.0, 0)),
                row("sequential producer", "met", r -> {
                    r.settings.put("fsync", "interval");
                    step(r, LoadScenarios.SEQUENTIAL, Targets.HUB, 1, 4.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 2.5, 0);
                }),
                row("sequential producer", "not met", r -> {
                    r.settings.put("fsync", "interval");
                    step(r, LoadScenarios.SEQUENTIAL, Targets.HUB, 1, 4.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 1.5, 0);
                }),
                row("sequential producer", "not met", r -> {
                    r.settings.put("fsync", "interval");
                    step(r, LoadScenarios.SEQUENTIAL, Targets.HUB, 1, 7.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 6.0, 0);
                }),
                row("sequential producer", "not measured: this run's fsync is batch, not the default", r -> {
                    r.settings.put("fsync", "batch");
                    step(r, LoadScenarios.SEQUENTIAL, Targets.HUB, 1, 4.0, 0);
                    step(r, LoadScenarios.TOPICS, Targets.HUB, 1, 2.5, 0);
                }),
                row("ingest of single events", "met", r -> ingest(r, 1, 64, "batch", 25_000)),
                row("ingest of single events", "not met", r -> ingest(r, 1, 64, "batch", 15_000)),
                row("ingest of single events", "not measured", r -> ingest(r, 1, 64, "interval", 25_000)),
                row("ingest of single events", "not measured", r -> ingest(r, 100, 4, "batch", 90_000)),
                row("MQTT", "met", r -> {
                    step(r, RoundTwoTargets.MQTT, RoundTwoTargets.MQTT_HUB, 1, 4.0, 0);
                    step(r, RoundTwoTargets.MQTT, RoundTwoTargets.MQTT_DIRECT, 1, 3.0, 0);
                }),
                row("MQTT", "not met", r -> {
                    step(r, RoundTwoTargets.MQTT, RoundTwoTargets.MQTT_HUB, 1, 7.0, 0);
                    step(r, RoundTwoTargets.MQTT, RoundTwoTargets.MQTT_DIRECT, 1, 3.0, 0);
                }),
                row("MQTT", "not measured", r -> { }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void judgesFromThisRunAlone(String target, String verdict, Consumer<Results> run) {
        Results r = new Results();
        run.accept(r);
        RoundTwoTargets.evaluate(r);
        List<Results.Target> matching = r.targets.stream().filter(t -> t.target().contains(target)).toList();
        assertEquals(1, matching.size(), () -> "one target named " + target + " in " + r.targets);
        assertEquals(verdict, matching.getFirst().verdict(), () -> matching.getFirst().toString());
        assertTrue(verdict.startsWith("not measured") || !matching.getFirst().measured().equals("-"));
    }

    private static Arguments row(String target, String verdict, Consumer<Results> run) {
        return Arguments.of(target, verdict, run);
    }

    /** A step whose p50 is half its p99 (the MQTT rows' ratios are then the same for both). */
    private static void step(Results r, String scenario, String server, int repetition, double p99Ms, long lost) {
        Measurement m = new Measurement(server, 1000, 100, 1000, 1000, 0, 1, 1000, 1000 - lost, lost, 0, 0, 1000,
                                        p99Ms / 2, p99Ms / 2, p99Ms, p99Ms, p99Ms, 0, 100, 10, 10, 50, null);
        r.fixedRate.add(new Results.FixedRate(scenario, scenario, server, repetition, m));
    }

    private static void ingest(Results r, int batch, int connections, String fsync, double perSecond) {
        r.ingest.add(new Results.Ingest(Targets.HUB, fsync, batch, connections, 0, 5, (long) (perSecond * 5), 0,
                                        perSecond, 1, 2, 50, 100, 10, null));
    }
}
