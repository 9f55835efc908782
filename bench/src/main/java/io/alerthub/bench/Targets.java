package io.alerthub.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The issue's targets, judged from what this run measured (never from anything else): met, not met, not shown
 * (the generator, not the hub, was the limit), or not measured (the scenario did not run).
 */
final class Targets {

    static final String HUB = Server.Kind.ALERTHUB.label;
    static final String NODE = Server.Kind.NODE_WS.label;
    static final String FANOUT = Server.Kind.FANOUT.label;

    private Targets() {
    }

    static void evaluate(Results r) {
        r.targets.clear();
        latency(r, "latency-100", "100 subscribers x 100 events/s");
        latency(r, "topics-1000x100", "1,000 subscribers over 100 topics x 1,000 events/s");
        ramp(r);
        cpu(r);
        rssUnderLoad(r);
        idle(r);
        churn(r);
        ingest(r);
        cluster(r);
        deflate(r);
        manyConnections(r);
        RoundTwoTargets.evaluate(r);
    }

    /**
     * permessage-deflate: measured off and on in the same run at 1,000 subscribers, nothing lost in either mode; the
     * ratios (on over off) of bytes on the wire and of hub CPU, per load, are the finding.
     */
    private static void deflate(Results r) {
        String what = "permessage-deflate measured: bytes on the wire and hub CPU off vs on at 1,000 subscribers";
        String threshold = "both modes measured, nothing lost";
        if (r.deflate.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        StringBuilder measured = new StringBuilder();
        boolean both = true;
        for (DeflateScenario.Load load : DeflateScenario.LOADS) {
            List<Results.Deflate> off = deflateSteps(r, load, DeflateScenario.OFF);
            List<Results.Deflate> on = deflateSteps(r, load, DeflateScenario.ON);
            if (off.isEmpty() || on.isEmpty()) {
                both = false;
                continue;
            }
            double bytesOff = off.stream().mapToDouble(Results.Deflate::wireBytesPerDelivery).average().orElse(0);
            double bytesOn = on.stream().mapToDouble(Results.Deflate::wireBytesPerDelivery).average().orElse(0);
            // Per delivery: on a busy machine a step may deliver less than its rate, and CPU follows deliveries.
            double cpuOff = off.stream().mapToDouble(d -> d.measurement().cpuPerThousandDeliveries()).average()
                    .orElse(0);
            double cpuOn = on.stream().mapToDouble(d -> d.measurement().cpuPerThousandDeliveries()).average()
                    .orElse(0);
            measured.append(measured.isEmpty() ? "" : "; ").append(load.title()).append(String.format(Locale.ROOT,
                    ": %.0f -> %.0f bytes per delivery (x%.2f), hub CPU %.2f -> %.2f %% of a core per 1,000"
                            + " deliveries/s (x%.2f)", bytesOff, bytesOn, bytesOn / bytesOff, cpuOff, cpuOn,
                    cpuOff == 0 ? 0 : cpuOn / cpuOff));
        }
        boolean whole = r.deflate.stream().allMatch(DeflateScenario::whole);
        long lost = r.deflate.stream().mapToLong(d -> d.measurement().lost() + d.measurement().outOfOrder()).sum();
        measured.append(String.format(Locale.ROOT, "; %d lost over %d steps", lost, r.deflate.size()));
        r.targets.add(new Results.Target(what, threshold, measured.toString(), both && whole ? "met" : "not met"));
    }

    private static List<Results.Deflate> deflateSteps(Results r, DeflateScenario.Load load, String mode) {
        return r.deflate.stream().filter(d -> d.scenario().equals(load.id()) && d.mode().equals(mode)).toList();
    }

    /**
     * 100,000 connections: RSS at most 1.2 GB, a broadcast reaching all within 2 s, RSS and descriptors back to their
     * baseline after closing. Where the descriptor limits allow fewer, it says so, with the figures at that count.
     */
    private static void manyConnections(Results r) {
        String what = Report.count(MaxConnectionsScenario.GOAL) + " concurrent WebSocket connections";
        String threshold = "RSS <= " + Report.mb(MaxConnectionsScenario.RSS_LIMIT_MB) + ", a broadcast reaches all"
                + " within 2 s, RSS and fds back to baseline after closing";
        Optional<Results.ManyConnections> hub = r.manyConnections.stream().filter(c -> c.server().equals(HUB))
                .findFirst();
        if (hub.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        Results.ManyConnections c = hub.get();
        List<String> unmet = MaxConnectionsScenario.unmet(c);
        String atN = unmet.isEmpty() ? "met" : "not met (" + String.join(", ", unmet) + ")";
        String measured = MaxConnectionsScenario.summary(c);
        String verdict = c.connections() < MaxConnectionsScenario.GOAL
                ? "not measured at " + Report.count(MaxConnectionsScenario.GOAL) + ": " + c.limitedBy() + "; at "
                        + Report.count(c.connections()) + " " + atN
                : atN;
        r.targets.add(new Results.Target(what, threshold, measured, verdict));
    }

    /**
     * The cluster scenario's targets: p99 at 100 events/s to 3 x 1,000 subscribers at most 25 ms with nothing lost,
     * and at most 2 ms p50 more on the instances the publisher did not post to than on the single hub.
     */
    private static void cluster(Results r) {
        if (r.cluster.isEmpty()) {
            return;
        }
        int issueTotal = ClusterScenario.INSTANCES * ClusterScenario.SUBSCRIBERS_PER_INSTANCE;
        List<Results.ClusterStep> all = r.cluster.stream()
                .filter(c -> c.setup().equals(ClusterScenario.CLUSTER) && c.where().equals(ClusterScenario.ALL)
                        && c.measurement().subscribers() == issueTotal)
                .toList();
        double worstP99 = all.stream().mapToDouble(c -> c.measurement().p99Ms()).max().orElse(0);
        long lost = all.stream().mapToLong(c -> c.measurement().lost() + c.measurement().outOfOrder()).sum();
        r.targets.add(new Results.Target("cluster: 3 instances x 1,000 subscribers x 100 events/s",
                                         "p99 <= 25 ms, nothing lost",
                                         "p99 " + Report.ms(worstP99) + " ms (worst of " + all.size() + "), " + lost
                                                 + " lost",
                                         worstP99 <= 25 && lost == 0 ? "met" : "not met"));
        StringBuilder measured = new StringBuilder();
        double issueExtra = Double.NaN;
        for (int total : r.cluster.stream().filter(c -> c.setup().equals(ClusterScenario.SINGLE))
                .map(c -> c.measurement().subscribers()).distinct().sorted(java.util.Comparator.reverseOrder())
                .toList()) {
            double worstExtra = Double.NEGATIVE_INFINITY;
            for (Results.ClusterStep single : r.cluster.stream().filter(c -> c.setup().equals(ClusterScenario.SINGLE)
                    && c.measurement().subscribers() == total).toList()) {
                double cross = r.cluster.stream()
                        .filter(c -> c.repetition() == single.repetition()
                                && c.setup().equals(ClusterScenario.CLUSTER)
                                && c.measurement().subscribers() * ClusterScenario.INSTANCES == total
                                && !c.where().equals(ClusterScenario.ALL) && !c.where().contains("publisher"))
                        .mapToDouble(c -> c.measurement().p50Ms()).average().orElse(Double.NaN);
                worstExtra = Math.max(worstExtra, cross - single.measurement().p50Ms());
            }
            if (total == issueTotal) {
                issueExtra = worstExtra;
            }
            measured.append(measured.isEmpty() ? "" : "; ").append(worstExtra >= 0 ? "+" : "")
                    .append(Report.ms(worstExtra)).append(" ms p50 at ").append(ClusterScenario.INSTANCES)
                    .append(" x ").append(Report.count(total / (double) ClusterScenario.INSTANCES));
        }
        r.targets.add(new Results.Target("cluster: cross-instance delivery over the single hub (same subscribers,"
                                                 + " same run)", "p50 <= 2 ms more at 3 x 1,000",
                                         measured.toString(), issueExtra <= 2 ? "met" : "not met"));
    }

    private static void latency(Results r, String scenario, String what) {
        List<Measurement> runs = r.fixedRate.stream()
                .filter(f -> f.scenario().equals(scenario) && f.server().equals(HUB))
                .map(Results.FixedRate::measurement).toList();
        String threshold = "p99 <= 5 ms, nothing lost";
        if (runs.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        double worst = runs.stream().mapToDouble(Measurement::p99Ms).max().orElse(0);
        double best = runs.stream().mapToDouble(Measurement::p99Ms).min().orElse(0);
        long lost = runs.stream().mapToLong(m -> m.lost() + m.outOfOrder()).sum();
        String measured = "p99 " + (runs.size() == 1 ? Report.ms(worst) : Report.ms(best) + "-" + Report.ms(worst))
                + " ms over " + runs.size() + (runs.size() == 1 ? " run" : " runs") + ", " + lost + " lost";
        boolean allMet = worst <= 5 && lost == 0;
        boolean someMet = best <= 5 && lost == 0;
        r.targets.add(new Results.Target(what, threshold, measured,
                                         allMet ? "met" : someMet ? "met in some runs only" : "not met"));
    }

    private static Optional<Results.Ramp> ramp(Results r, String server, int subscribers) {
        return r.ramps.stream().filter(x -> x.server().equals(server) && x.subscribers() == subscribers).findFirst();
    }

    static double best(Optional<Results.Ramp> ramp) {
        return ramp.map(Results.Ramp::best).map(Measurement::deliveriesPerSecond).orElse(0.0);
    }

    private static void ramp(Results r) {
        String what = "ramp, 1,000 subscribers on one topic: highest sustained deliveries/s";
        String threshold = ">= 1.3 x Node ws in the same run";
        Optional<Results.Ramp> hub = ramp(r, HUB, 1000);
        Optional<Results.Ramp> node = ramp(r, NODE, 1000);
        if (hub.isEmpty() || node.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        double h = best(hub);
        double n = best(node);
        double ceiling = best(ramp(r, FANOUT, 1000));
        double ratio = n == 0 ? (h > 0 ? Double.POSITIVE_INFINITY : 0) : h / n;
        String measured = String.format(Locale.ROOT, "AlertHub %s, Node ws %s: %.2fx%s", Report.count(h),
                                        Report.count(n), ratio,
                                        ceiling > 0 ? "; generator ceiling (minimal fan-out) " + Report.count(ceiling)
                                                : "");
        String verdict;
        if (ratio >= 1.3) {
            verdict = "met";
        } else if (ceiling > 0 && h >= 0.9 * ceiling) {
            verdict = "not shown: the generator is the limit (" + Report.count(ceiling) + " against the minimal"
                    + " server, < 1.3 x Node ws = " + Report.count(1.3 * n) + ")";
        } else {
            verdict = "not met";
        }
        r.targets.add(new Results.Target(what, threshold, measured, verdict));
    }

    private static void cpu(Results r) {
        String what = "hub CPU at the ramp's top step";
        String threshold = "<= 1 % of a core per 1,000 deliveries/s";
        Optional<Measurement> top = ramp(r, HUB, 1000).map(Results.Ramp::best);
        if (top.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        Measurement m = top.get();
        double per = m.cpuPerThousandDeliveries();
        r.targets.add(new Results.Target(what, threshold, String.format(Locale.ROOT,
                "%.0f %% of a core at %s deliveries/s = %.2f %% per 1,000/s", m.serverCpuPercent(),
                Report.count(m.deliveriesPerSecond()), per), per <= 1.0 ? "met" : "not met"));
    }

    /**
     * RSS with 1,000 subscribers under the loads the issue names: the fixed-rate scenarios with 1,000 subscribers,
     * and the ramp's steps up to 100,000 deliveries/s (the Node baseline's range). The ramp's top, far beyond, is
     * reported beside it.
     */
    private static void rssUnderLoad(Results r) {
        String what = "hub RSS with 1,000 subscribers under load";
        String threshold = "<= 150 MB";
        Optional<Double> max = Stream.concat(
                        r.fixedRate.stream().filter(f -> f.server().equals(HUB)).map(Results.FixedRate::measurement),
                        ramp(r, HUB, 1000).stream().flatMap(x -> x.steps().stream())
                                .filter(s -> s.targetDeliveriesPerSecond() <= 100_000)
                                .map(Results.RampStep::measurement))
                .filter(m -> m.subscribers() == 1000).map(Measurement::serverRssMb).max(Comparator.naturalOrder());
        if (max.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        String top = ramp(r, HUB, 1000).map(Results.Ramp::best)
                .map(b -> "; at the ramp's top (" + Report.count(b.deliveriesPerSecond()) + " deliveries/s) "
                        + Report.mb(b.serverRssMb())).orElse("");
        r.targets.add(new Results.Target(what, threshold, "highest " + Report.mb(max.get())
                + " (fixed-rate scenarios and ramp steps up to 100,000 deliveries/s)" + top,
                                         max.get() <= 150 ? "met" : "not met"));
    }

    private static void idle(Results r) {
        String what = "10,000 idle WebSocket connections";
        String threshold = "hub RSS < 400 MB";
        Optional<Results.Idle> hub = r.idle.stream().filter(i -> i.server().equals(HUB)).findFirst();
        if (hub.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        Results.Idle i = hub.get();
        r.targets.add(new Results.Target(what, threshold, String.format(Locale.ROOT,
                "%s (%.1f KB per connection over a %s baseline)", Report.mb(i.rssMb()), i.kbPerConnection(),
                Report.mb(i.baselineRssMb())), i.rssMb() < 400 && i.note() == null ? "met" : "not met"));
    }

    private static void churn(Results r) {
        String what = "connect/disconnect churn, 2,000 connects/s";
        String threshold = "memory back to its baseline";
        Optional<Results.Churn> hub = r.churn.stream().filter(c -> c.server().equals(HUB)).findFirst();
        if (hub.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        Results.Churn c = hub.get();
        boolean rate = c.achievedPerSecond() >= 0.95 * c.targetPerSecond() && c.failures() == 0;
        String measured = String.format(Locale.ROOT,
                                        "%.0f connects/s for %.0f s, %d failed; live heap %.1f -> %.1f MB; RSS %.0f"
                                                + " -> %.0f MB (peak %.0f); %d connections left",
                                        c.achievedPerSecond(), c.seconds(), c.failures(), c.baselineHeapMb(),
                                        c.afterHeapMb(), c.baselineRssMb(), c.afterRssMb(), c.peakRssMb(),
                                        c.connectionsAfter());
        String verdict = c.backToBaseline() ? (rate ? "met" : "memory met; rate not reached") : "not met";
        r.targets.add(new Results.Target(what, threshold, measured, verdict));
    }

    private static void ingest(Results r) {
        String what = "ingest over HTTP, batches of 100, WebSocket plugin on";
        String threshold = ">= 20,000 events/s";
        Optional<Results.Ingest> batch = r.ingest.stream()
                .filter(i -> i.server().equals(HUB) && i.batch() == IngestScenario.BATCH && i.fsync().equals("batch"))
                .findFirst()
                .or(() -> r.ingest.stream().filter(i -> i.server().equals(HUB) && i.batch() == IngestScenario.BATCH)
                        .findFirst());
        if (batch.isEmpty()) {
            r.targets.add(new Results.Target(what, threshold, "-", "not measured"));
            return;
        }
        Results.Ingest i = batch.get();
        r.targets.add(new Results.Target(what, threshold, String.format(Locale.ROOT,
                "%s events/s (fsync %s), %d failed", Report.count(i.eventsPerSecond()), i.fsync(), i.failed()),
                                         i.eventsPerSecond() >= 20_000 && i.failed() == 0 ? "met" : "not met"));
    }
}
