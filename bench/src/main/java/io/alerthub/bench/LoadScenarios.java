package io.alerthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery scenarios of PROTOCOL section 8, run on the hub and its peers in the same invocation, alternating
 * between servers step by step so that the machine's background load weighs on all of them alike:
 * <ul>
 *   <li>{@code latency}: subscribers on one topic at 100 events/s (100 and 1,000 subscribers, and more points in the
 *       full run: the chart's x axis);</li>
 *   <li>{@code topics}: 1,000 subscribers over 100 topics at 1,000 events/s;</li>
 *   <li>{@code sequential}: {@code topics}, and alternating with it on the same subscribers the same load from a
 *       sequential producer (batches of 10 on one connection, each request after the previous answer, 100
 *       requests/s);</li>
 *   <li>{@code ramp}: 1,000 subscribers on one topic, rising rates until p99 passes 100 ms or a delivery is lost.</li>
 * </ul>
 */
final class LoadScenarios {

    static final double P99_LIMIT_MS = 100;
    static final double LATENCY_RATE = 100;
    /** The ramp stops here even if a server keeps up: far beyond any target, and the run must end. */
    static final double MAX_DELIVERIES = 2_000_000;
    static final String TOPICS = "topics-1000x100";
    static final String SEQUENTIAL = "topics-sequential";

    private final BenchContext ctx;
    private final List<Server> servers;
    private final Results results;
    private final Timing timing;

    LoadScenarios(BenchContext ctx, List<Server> servers, Results results, Timing timing) {
        this.ctx = ctx;
        this.servers = servers;
        this.results = results;
        this.timing = timing;
    }

    /**
     * Before anything is measured, every server carries the heaviest fixed-rate load (1,000 subscribers over 100
     * topics at 1,000 events/s) for a while: the JVMs (the hub, the minimal server) compile their hot paths, and
     * every figure after is of a server in its steady state, as it is in production.
     */
    void warmUp() {
        Console.say("warm-up: 1,000 subscribers over 100 topics at 1,000 events/s, "
                            + timing.firstWarmup().toSeconds() + " s per JVM, " + timing.lightWarmup().toSeconds()
                            + " s for Node");
        for (Server s : servers) {
            Duration length = s.kind() == Server.Kind.NODE_WS ? timing.lightWarmup() : timing.firstWarmup();
            try (Rig rig = Rig.open(s, ctx.options().wsClient(), ctx.options().readerThreads(), 1000, 100)) {
                Measurement m = rig.step(1000, length, timing.drain());
                Console.say("  " + Console.line(m));
            }
        }
    }

    /**
     * One fixed-rate scenario's publisher: how it posts, the scenario id the results file gives it, and its title.
     */
    private record Publisher(Rig.Publishing publishing, String id, String title) {
    }

    void latencySweep() {
        for (int subscribers : timing.sweep()) {
            fixedRate(List.of(new Publisher(Rig.Publishing.PIPELINED, "latency-" + subscribers,
                                            subscribers + " subscribers, 1 topic, 100 events/s")),
                      subscribers, 1, LATENCY_RATE);
        }
    }

    /**
     * 1,000 subscribers over 100 topics at 1,000 events/s from the pipelined publisher and, with
     * {@code sequential}, from a sequential producer too (batches of 10 on one connection, each request after the
     * previous 202, as most producers post), alternating on the same subscribers. The minimal server has the
     * pipelined publisher only: its POST takes one event.
     */
    void topics(boolean sequential) {
        List<Publisher> publishers = new ArrayList<>();
        publishers.add(new Publisher(Rig.Publishing.PIPELINED, TOPICS, "1,000 subscribers over 100 topics, 1,000"
                + " events/s"));
        if (sequential) {
            publishers.add(new Publisher(Rig.Publishing.SEQUENTIAL, SEQUENTIAL, "1,000 subscribers over 100 topics,"
                    + " 1,000 events/s, sequential producer (batches of 10 on one connection, each after the previous"
                    + " 202)"));
        }
        fixedRate(publishers, 1000, 100, 1000);
    }

    private void fixedRate(List<Publisher> publishers, int subscribers, int topics, double rate) {
        for (Publisher p : publishers) {
            Console.say("scenario " + p.id() + ": " + p.title());
        }
        List<Server> measured = timing.allPeers() ? servers
                : servers.stream().filter(s -> s.kind() != Server.Kind.FANOUT).toList();
        List<Rig> rigs = open(measured, subscribers, topics);
        try {
            for (Rig rig : rigs) {
                warm(rig, rate);
            }
            for (int rep = 1; rep <= ctx.options().repeat(); rep++) {
                for (Rig rig : rigs) {
                    for (Publisher p : publishers) {
                        if (p.publishing().batch > 1 && rig.server().kind() == Server.Kind.FANOUT) {
                            continue;
                        }
                        Measurement m = rig.step(p.publishing(), rate, timing.measure(), timing.drain());
                        results.fixedRate.add(new Results.FixedRate(p.id(), p.title(), rig.server().label(), rep, m));
                        Console.say("  " + (publishers.size() > 1 ? p.publishing().label + ": " : "")
                                            + Console.line(m));
                        rig.recover(Duration.ofSeconds(10));
                    }
                }
            }
        } finally {
            rigs.forEach(Rig::close);
        }
    }

    /**
     * Rising rates on one topic, every server in turn at each rate, until each fails a step twice in a row; then
     * steps between its last sustained rate and its first failed one narrow the answer.
     */
    void ramp(int subscribers) {
        Console.say("scenario ramp: " + subscribers + " subscribers on one topic, rising rates until p99 > "
                            + Math.round(P99_LIMIT_MS) + " ms or a delivery is lost");
        List<Rig> rigs = open(servers, subscribers, 1);
        Map<Rig, List<Results.RampStep>> steps = new LinkedHashMap<>();
        Map<Rig, Measurement> best = new LinkedHashMap<>();
        Map<Rig, Double> failedAt = new LinkedHashMap<>();
        Map<Rig, String> why = new LinkedHashMap<>();
        try {
            double firstRate = timing.rampStart() / subscribers;
            for (Rig rig : rigs) {
                steps.put(rig, new ArrayList<>());
                warm(rig, firstRate);
            }
            List<Rig> active = new ArrayList<>(rigs);
            for (double rate = firstRate; !active.isEmpty() && rate * subscribers <= MAX_DELIVERIES;
                 rate *= timing.rampFactor()) {
                for (Rig rig : List.copyOf(active)) {
                    Measurement m = attempt(rig, rate, steps.get(rig));
                    if (m.sustained(P99_LIMIT_MS)) {
                        best.put(rig, m);
                    } else {
                        failedAt.put(rig, rate);
                        why.put(rig, m.whyNotSustained(P99_LIMIT_MS));
                        active.remove(rig);
                    }
                }
            }
            for (int i = 0; i < timing.refinements(); i++) {
                for (Rig rig : rigs) {
                    Double failed = failedAt.get(rig);
                    Measurement b = best.get(rig);
                    double low = b == null ? 0 : b.rate();
                    if (failed == null || failed - low < 0.04 * failed) {
                        continue;
                    }
                    double mid = (low + failed) / 2;
                    Measurement m = attempt(rig, mid, steps.get(rig));
                    if (m.sustained(P99_LIMIT_MS)) {
                        best.put(rig, m);
                    } else {
                        failedAt.put(rig, mid);
                        why.put(rig, m.whyNotSustained(P99_LIMIT_MS));
                    }
                }
            }
        } finally {
            rigs.forEach(Rig::close);
        }
        double ceiling = rigs.stream().filter(r -> r.server().kind() == Server.Kind.FANOUT).map(best::get)
                .filter(m -> m != null).mapToDouble(Measurement::deliveriesPerSecond).findFirst().orElse(0);
        for (Rig rig : rigs) {
            Measurement b = best.get(rig);
            boolean stoppedByFailure = failedAt.containsKey(rig);
            String stopped = stoppedByFailure
                    ? "at " + Report.count(failedAt.get(rig) * subscribers) + " deliveries/s: " + why.get(rig)
                    : "not stopped: sustained the ramp's highest step";
            String limitedBy;
            if (rig.server().kind() == Server.Kind.FANOUT) {
                limitedBy = stoppedByFailure ? "the generator and the machine (this is their ceiling)"
                        : "the ramp's end (the generator's ceiling is higher)";
            } else if (b != null && ceiling > 0 && b.deliveriesPerSecond() >= 0.9 * ceiling) {
                limitedBy = "the generator (within 10 % of its ceiling against the minimal server)";
            } else if (!stoppedByFailure) {
                limitedBy = "the ramp's end";
            } else {
                limitedBy = "the server";
            }
            results.ramps.add(new Results.Ramp(rig.server().label(), subscribers, P99_LIMIT_MS, steps.get(rig), b,
                                               stopped, limitedBy));
            Console.say("  ramp " + rig.server().label() + ": highest sustained "
                                + (b == null ? "none" : Report.count(b.deliveriesPerSecond()) + " deliveries/s (p99 "
                                + Report.ms(b.p99Ms()) + " ms)") + "; " + stopped + "; limited by " + limitedBy);
        }
    }

    /** One ramp step, tried a second time when it fails (a busy moment of a shared machine is not a ceiling). */
    private Measurement attempt(Rig rig, double rate, List<Results.RampStep> steps) {
        Measurement m = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            rig.recover(Duration.ofSeconds(15));
            m = rig.step(rate, timing.rampStep(), timing.drain());
            String failure = m.whyNotSustained(P99_LIMIT_MS);
            steps.add(new Results.RampStep(rate, rate * rig.subscriberCount(), attempt, m, failure));
            Console.say("  " + Console.line(m) + (failure == null ? "  ok" : "  FAILED: " + failure));
            if (failure == null) {
                break;
            }
        }
        return m;
    }

    private void warm(Rig rig, double rate) {
        rig.step(rate, timing.warmup(), timing.drain());
        rig.recover(Duration.ofSeconds(10));
    }

    private List<Rig> open(List<Server> which, int subscribers, int topics) {
        List<Rig> rigs = new ArrayList<>();
        try {
            for (Server s : which) {
                rigs.add(Rig.open(s, ctx.options().wsClient(), ctx.options().readerThreads(), subscribers, topics));
            }
        } catch (RuntimeException e) {
            rigs.forEach(Rig::close);
            throw e;
        }
        return rigs;
    }
}
