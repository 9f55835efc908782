package io.alerthub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The targets of issue 19 (performance, round two), judged like {@link Targets} from this run alone. Where a target
 * compares two servers or two publishers, each repetition is compared with the same repetition of the other (they
 * ran one after the other, under the same background load).
 */
final class RoundTwoTargets {

    static final String DEFAULT_FSYNC = Options.HUB_FSYNC;
    static final String MQTT = "mqtt-100";
    static final String MQTT_HUB = "AlertHub -> Mosquitto";
    static final String MQTT_DIRECT = "Mosquitto direct";

    private RoundTwoTargets() {
    }

    static void evaluate(Results r) {
        aheadOfNode(r);
        sequentialProducer(r);
        singleEventIngest(r);
        mqtt(r);
    }

    /** Every fixed-rate step of the sweep and the topics scenario: the hub's p99 below Node ws's, nothing lost. */
    private static void aheadOfNode(Results r) {
        String what = "ahead of Node ws in every fixed-rate step (latency sweep, 1,000 over 100 topics)";
        String threshold = "each step: hub p99 < Node ws p99, nothing lost";
        List<String> behind = new ArrayList<>();
        int compared = 0;
        for (String step : r.fixedRate.stream().map(Results.FixedRate::scenario).distinct()
                .filter(s -> s.startsWith("latency-") || s.equals(LoadScenarios.TOPICS)).toList()) {
            Map<Integer, Measurement> hub = runs(r, step, Targets.HUB);
            Map<Integer, Measurement> node = runs(r, step, Targets.NODE);
            for (Map.Entry<Integer, Measurement> e : hub.entrySet()) {
                Measurement n = node.get(e.getKey());
                if (n == null) {
                    continue;
                }
                compared++;
                Measurement h = e.getValue();
                if (h.p99Ms() >= n.p99Ms() || h.lost() + h.outOfOrder() > 0) {
                    behind.add(step + (hub.size() > 1 ? " #" + e.getKey() : "") + " " + Report.ms(h.p99Ms()) + " vs "
                                       + Report.ms(n.p99Ms()) + " ms" + (h.lost() > 0 ? ", " + h.lost() + " lost" : ""));
                }
            }
        }
        if (compared == 0) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        String measured = (compared - behind.size()) + " of " + compared + " steps ahead"
                + (behind.isEmpty() ? "" : "; behind: " + String.join("; ", behind));
        r.targets.add(new Results.Target(what, threshold, measured, behind.isEmpty() ? "met" : "not met"));
    }

    /**
     * The sequential producer (batches of 10 on one connection, each after the previous 202) at 1,000 subscribers
     * over 100 topics: p99 at most 5 ms with the default config, and at most twice the pipelined publisher's at the
     * same rate on the same subscribers.
     */
    private static void sequentialProducer(Results r) {
        String what = "sequential producer, 1,000 subscribers over 100 topics, batches of 10 x 100 requests/s";
        String threshold = "p99 <= 5 ms with the default config (fsync " + DEFAULT_FSYNC
                + ") and <= 2 x the pipelined publisher's (topics-1000x100, alternating with it), nothing lost";
        Map<Integer, Measurement> sequential = runs(r, LoadScenarios.SEQUENTIAL, Targets.HUB);
        Map<Integer, Measurement> pipelined = runs(r, LoadScenarios.TOPICS, Targets.HUB);
        if (sequential.isEmpty() || pipelined.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        double worstRatio = 0;
        for (Map.Entry<Integer, Measurement> e : sequential.entrySet()) {
            Measurement p = pipelined.get(e.getKey());
            if (p != null) {
                worstRatio = Math.max(worstRatio, e.getValue().p99Ms() / p.p99Ms());
            }
        }
        double worst = sequential.values().stream().mapToDouble(Measurement::p99Ms).max().orElse(0);
        long lost = sequential.values().stream().mapToLong(m -> m.lost() + m.outOfOrder()).sum();
        Map<Integer, Measurement> node = runs(r, LoadScenarios.SEQUENTIAL, Targets.NODE);
        String fsync = String.valueOf(r.settings.get("fsync"));
        String measured = String.format(Locale.ROOT, "p99 %s ms sequential, %s ms pipelined (worst ratio %.1fx), %d"
                                                + " lost; Node ws sequential %s ms; fsync %s",
                                        range(sequential, Measurement::p99Ms), range(pipelined, Measurement::p99Ms),
                                        worstRatio, lost, node.isEmpty() ? "-" : range(node, Measurement::p99Ms),
                                        fsync);
        String verdict;
        if (!fsync.equals(DEFAULT_FSYNC)) {
            verdict = "not measured: this run's fsync is " + fsync + ", not the default";
        } else {
            verdict = worst <= 5 && worstRatio <= 2 && lost == 0 ? "met" : "not met";
        }
        r.targets.add(new Results.Target(what, threshold, measured, verdict));
    }

    /** Group commit: single-event requests over 64 connections under the durable policy. */
    private static void singleEventIngest(Results r) {
        String what = "ingest of single events over 64 connections, fsync batch (group commit)";
        String threshold = ">= 20,000 requests/s, nothing failed";
        r.ingest.stream()
                .filter(i -> i.server().equals(Targets.HUB) && i.batch() == 1 && i.connections() == 64
                        && i.fsync().equals("batch"))
                .findFirst()
                .ifPresentOrElse(i -> r.targets.add(new Results.Target(what, threshold, String.format(
                                         Locale.ROOT, "%s requests/s, %d failed, request p99 %s ms",
                                         Report.count(i.eventsPerSecond()), i.failed(), Report.ms(i.requestP99Ms())),
                                         i.eventsPerSecond() >= 20_000 && i.failed() == 0 ? "met" : "not met")),
                                 () -> r.targets.add(new Results.Target(what, threshold, "-", "not measured")));
    }

    /** The hub's MQTT path against a publisher feeding Mosquitto directly, repetition by repetition. */
    private static void mqtt(Results r) {
        String what = "MQTT: hub -> Mosquitto -> subscriber against Mosquitto fed directly";
        String threshold = "p50 <= 1.5 x and p99 <= 2 x direct";
        Map<Integer, Measurement> hub = runs(r, MQTT, MQTT_HUB);
        Map<Integer, Measurement> direct = runs(r, MQTT, MQTT_DIRECT);
        double p50Ratio = 0;
        double p99Ratio = 0;
        for (Map.Entry<Integer, Measurement> e : hub.entrySet()) {
            Measurement d = direct.get(e.getKey());
            if (d != null) {
                p50Ratio = Math.max(p50Ratio, e.getValue().p50Ms() / d.p50Ms());
                p99Ratio = Math.max(p99Ratio, e.getValue().p99Ms() / d.p99Ms());
            }
        }
        if (p50Ratio == 0) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        String measured = String.format(Locale.ROOT, "p50 %s vs %s ms (worst %.1fx), p99 %s vs %s ms (worst %.1fx)",
                                        range(hub, Measurement::p50Ms), range(direct, Measurement::p50Ms), p50Ratio,
                                        range(hub, Measurement::p99Ms), range(direct, Measurement::p99Ms), p99Ratio);
        r.targets.add(new Results.Target(what, threshold, measured,
                                         p50Ratio <= 1.5 && p99Ratio <= 2 ? "met" : "not met"));
    }

    /** A server's runs of a fixed-rate scenario, by repetition. */
    private static Map<Integer, Measurement> runs(Results r, String scenario, String server) {
        return r.fixedRate.stream().filter(f -> f.scenario().equals(scenario) && f.server().equals(server))
                .collect(Collectors.toMap(Results.FixedRate::repetition, Results.FixedRate::measurement,
                                          (a, b) -> a, TreeMap::new));
    }

    /** {@code 2.1} or {@code 2.1-2.7}: a value over the runs, as a range when they differ. */
    private static String range(Map<Integer, Measurement> runs, ToDoubleFunction<Measurement> value) {
        String low = Report.ms(runs.values().stream().mapToDouble(value).min().orElse(0));
        String high = Report.ms(runs.values().stream().mapToDouble(value).max().orElse(0));
        return Objects.equals(low, high) ? low : low + "-" + high;
    }
}
