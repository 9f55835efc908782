package io.alerthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * Ingest: producers POST events as fast as the hub answers, over keep-alive connections, with the WebSocket plugin
 * enabled (its lane reads and routes every event): batches of 100 over 4 connections, single events over 16, and,
 * under {@code fsync: batch}, single events over 64 (many requests in flight, each waiting for the fsync that
 * covers it: what the log's group commit is for). Counts what the hub acknowledged with 202: events durable in its
 * log.
 */
final class IngestScenario {

    static final int BATCH = 100;
    /** Connections of the single-event step under {@code fsync: batch} that the group commit target reads. */
    static final int SINGLE_EVENT_CONNECTIONS = 64;

    /** One step: events per request, over so many connections. */
    private record Step(int batch, int connections) {
    }

    private static final Step BATCHES = new Step(BATCH, 4);
    private static final Step SINGLE = new Step(1, 16);
    private static final Step SINGLE_MANY = new Step(1, SINGLE_EVENT_CONNECTIONS);
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    private final Results results;
    private final Timing timing;

    IngestScenario(Results results, Timing timing) {
        this.results = results;
        this.timing = timing;
    }

    /**
     * Every step, a hub per fsync policy. Quick: batches of 100 under {@code fsync} (the run's policy), and the
     * single events over 64 connections under {@code batch}. Full: batches of 100 and single events over 16 under
     * every policy, and over 64 under {@code batch}.
     */
    void runAll(BenchContext ctx, boolean quick, String fsync) {
        Map<String, List<Step>> plan = new LinkedHashMap<>();
        if (quick) {
            plan.put(fsync, new ArrayList<>(List.of(BATCHES)));
        } else {
            for (String policy : List.of("batch", "interval", "none")) {
                plan.put(policy, new ArrayList<>(List.of(BATCHES, SINGLE)));
            }
        }
        plan.computeIfAbsent("batch", p -> new ArrayList<>()).add(SINGLE_MANY);
        plan.forEach((policy, steps) -> {
            try (Server hub = Server.alertHub(ctx, "alerthub-ingest-" + policy, policy, Server.websocketPlugin())) {
                for (Step step : steps) {
                    run(hub, policy, step.batch(), step.connections());
                }
            }
        });
    }

    /** Measures one step: {@code batch} events per request over {@code connections} connections. */
    private void run(Server hub, String fsync, int batch, int connections) {
        Console.say("scenario ingest: " + (batch == 1 ? "single events" : "batches of " + batch) + " over "
                            + connections + " connections, fsync " + fsync + ", on " + hub.label());
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(batch == 1 ? SamplePayload.event(1 + i, i, SamplePayload.epochNanos())
                               : SamplePayload.batch(batch, 100, 1 + (long) i * batch));
        }
        load(hub, bodies, batch, connections, timing.warmup().multipliedBy(2));
        ProcStats.Sample before = hub.sample();
        ProcStats.Sample selfBefore = ProcStats.sample(ProcessHandle.current().pid());
        Outcome o = load(hub, bodies, batch, connections, timing.ingest());
        ProcStats.Sample after = hub.sample();
        ProcStats.Sample selfAfter = ProcStats.sample(ProcessHandle.current().pid());
        Results.Ingest r = new Results.Ingest(hub.label(), fsync, batch, connections, 0, o.seconds, o.accepted,
                                              o.failed, o.accepted / o.seconds,
                                              o.latency.getValueAtPercentile(50) / 1000.0,
                                              o.latency.getValueAtPercentile(99) / 1000.0,
                                              after.cpuPercentSince(before), after.rssBytes() / 1048576.0,
                                              selfAfter.cpuPercentSince(selfBefore), o.firstError);
        results.ingest.add(r);
        Console.say(String.format(java.util.Locale.ROOT,
                                  "  %s fsync %s, %d per request: %,.0f events/s accepted (%,d in %.1f s), %d failed;"
                                          + " request p50 %s p99 %s ms; cpu %.0f%%, rss %.0f MB, generator cpu %.0f%%%s",
                                  hub.label(), fsync, batch, r.eventsPerSecond(), r.accepted(), r.seconds(), r.failed(),
                                  Report.ms(r.requestP50Ms()), Report.ms(r.requestP99Ms()), r.serverCpuPercent(),
                                  r.serverRssMb(), r.generatorCpuPercent(),
                                  o.firstError == null ? "" : "; first error: " + o.firstError));
    }

    private record Outcome(long accepted, long failed, double seconds, Histogram latency, String firstError) {
    }

    private Outcome load(Server hub, List<byte[]> bodies, int batch, int connections, Duration length) {
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Histogram latency = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads.add(Thread.ofPlatform().name("ingest-" + c).start(() -> {
                Histogram mine = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
                try (HttpConnection conn = new HttpConnection(Server.HOST, hub.port(), "/api/v1/events")) {
                    for (int i = first; System.nanoTime() - end < 0; i++) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponses.Response r = conn.post(bodies.get(i % bodies.size()));
                            Matcher m = ACCEPTED.matcher(r.text());
                            if (r.status() == 202 && m.find()) {
                                accepted.addAndGet(Long.parseLong(m.group(1)));
                            } else {
                                failed.addAndGet(batch);
                                firstError.compareAndSet(null, "HTTP " + r.status() + " " + r.text());
                            }
                        } catch (RuntimeException e) {
                            failed.addAndGet(batch);
                            firstError.compareAndSet(null, e.getMessage());
                        }
                        mine.recordValue(Math.min((System.nanoTime() - t0) / 1000, LatencyRecorder.HIGHEST_MICROS));
                    }
                }
                synchronized (latency) {
                    latency.add(mine);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Outcome(accepted.get(), failed.get(), (System.nanoTime() - start) / 1e9, latency, firstError.get());
    }
}
