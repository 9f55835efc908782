package io.alerthub.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * {@code ./alerthub bench --soak DURATION}: steady load for DURATION (100 events/s over HTTP) while 1,000 WebSocket
 * clients keep reconnecting (each lives 10 to 50 s, then closes and connects again), and once a minute the hub's
 * resident memory, its heap after a full collection, its open file descriptors and its threads are sampled. Passes
 * when each of them, from the first minute to the last, stays within 10 % (small absolute floors for the counts).
 * Writes a Markdown table to {@code bench/results/soak-*.md}; docs/reliability.md has a run's figures.
 */
final class SoakScenario {

    static final int CLIENTS = 1000;
    static final double EVENTS_PER_SECOND = 100;
    private static final int MIN_LIFE_SECONDS = 10;
    private static final int MAX_LIFE_SECONDS = 50;
    private static final double FLAT = 0.10;

    /** One minute's sample of the hub process. */
    record Sample(int minute, double rssMb, double heapAfterGcMb, long fds, long threads, long connects,
                  long published, long failures) {
    }

    private final BenchContext ctx;
    private final Duration length;

    SoakScenario(BenchContext ctx, Duration length) {
        this.ctx = ctx;
        this.length = length;
    }

    /** Runs it; true when every measure stayed flat. */
    boolean run() {
        Console.say("soak: " + length.toMinutes() + " min, " + (int) EVENTS_PER_SECOND + " events/s, " + CLIENTS
                            + " WebSocket clients reconnecting every " + MIN_LIFE_SECONDS + "-" + MAX_LIFE_SECONDS + " s");
        List<Sample> samples = new ArrayList<>();
        try (Server hub = Server.alertHub(ctx, "alerthub-soak", "batch", Server.websocketPlugin())) {
            HubProbe probe = new HubProbe(hub);
            HttpClient client = WsSubscriber.client();
            AtomicLong connects = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicLong published = new AtomicLong();
            long end = System.nanoTime() + length.toNanos();
            Thread publisher = Thread.ofPlatform().name("soak-publisher").start(() -> {
                try (RatePublisher pub = new RatePublisher(() -> new PipelinedHttpSink(hub), new Topics(100), 2)) {
                    while (System.nanoTime() - end < 0) {
                        RatePublisher.Result r = pub.run(EVENTS_PER_SECOND, Duration.ofSeconds(10));
                        published.addAndGet(r.published());
                        failures.addAndGet(r.failed());
                    }
                }
            });
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                AtomicReferenceArray<WsSubscriber> live = new AtomicReferenceArray<>(CLIENTS);
                for (int i = 0; i < CLIENTS; i++) {
                    int slot = i;
                    clients.submit(() -> reconnecting(hub, client, live, slot, end, connects, failures));
                }
                long start = System.nanoTime();
                for (int minute = 0; System.nanoTime() - end < 0; minute++) {
                    long due = start + TimeUnit.MINUTES.toNanos(minute);
                    sleepUntil(due, end);
                    if (System.nanoTime() - end >= 0 && minute > 0) {
                        break;
                    }
                    probe.fullGc(ctx.java());
                    Sample s = new Sample(minute, ProcStats.rssBytes(hub.pid()) / 1048576.0, probe.usedHeapMb(),
                                          fds(hub.pid()), threads(hub.pid()), connects.get(), published.get(),
                                          failures.get());
                    samples.add(s);
                    Console.say(String.format(Locale.ROOT, "  minute %d: RSS %.0f MB, heap after GC %.1f MB, %d fds,"
                                                      + " %d threads; %,d connects, %,d events, %d failures",
                                              s.minute(), s.rssMb(), s.heapAfterGcMb(), s.fds(), s.threads(),
                                              s.connects(), s.published(), s.failures()));
                }
                clients.shutdownNow();
            }
            publisher.interrupt();
        }
        return report(samples);
    }

    /** One client slot: connect, live a while, close, connect again, until the end. */
    private static void reconnecting(Server hub, HttpClient client, AtomicReferenceArray<WsSubscriber> live, int slot,
                                     long end, AtomicLong connects, AtomicLong failures) {
        LatencyRecorder unused = new LatencyRecorder();
        while (System.nanoTime() - end < 0 && !Thread.currentThread().isInterrupted()) {
            WsSubscriber s = new WsSubscriber(0, unused);
            live.set(slot, s);
            try {
                s.connect(client, hub.wsUri(hub.wsPath(slot % 100 + 1)));
                if (s.awaitReady(TimeUnit.SECONDS.toNanos(10))) {
                    connects.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
                int life = ThreadLocalRandom.current().nextInt(MIN_LIFE_SECONDS, MAX_LIFE_SECONDS + 1);
                sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(life), end);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } finally {
                s.close();
            }
        }
    }

    private static void sleepUntil(long due, long end) {
        long until = Math.min(due, end);
        long wait;
        while ((wait = until - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static long fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        return -1;
    }

    /**
     * Flat: from minute 1 (after warm-up) to the last, each measure within 10 % (the counts also within 16, since a
     * handful of descriptors or threads come and go with the connections being made at that instant).
     */
    private boolean report(List<Sample> samples) {
        if (samples.size() < 3) {
            Console.say("soak: too short to judge (" + samples.size() + " samples; give at least 3 minutes)");
            return false;
        }
        Sample first = samples.get(1);
        Sample last = samples.getLast();
        List<String> verdicts = new ArrayList<>();
        boolean ok = flat("RSS", first.rssMb(), last.rssMb(), 0, verdicts)
                & flat("heap after GC", first.heapAfterGcMb(), last.heapAfterGcMb(), 1, verdicts)
                & flat("file descriptors", first.fds(), last.fds(), 16, verdicts)
                & flat("threads", first.threads(), last.threads(), 16, verdicts);
        StringBuilder md = new StringBuilder("# Soak run " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                                                     + "\n\n" + length.toMinutes() + " min, " + (int) EVENTS_PER_SECOND
                                                     + " events/s, " + CLIENTS + " WebSocket clients reconnecting every "
                                                     + MIN_LIFE_SECONDS + "-" + MAX_LIFE_SECONDS + " s.\n\n"
                                                     + "| minute | RSS MB | heap after GC MB | fds | threads | connects"
                                                     + " | events | failures |\n|---|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %d | %d | %d | %d | %d |%n", s.minute(),
                                    s.rssMb(), s.heapAfterGcMb(), s.fds(), s.threads(), s.connects(), s.published(),
                                    s.failures()));
        }
        md.append("\n").append(String.join("\n", verdicts)).append("\n\n").append(ok ? "FLAT" : "NOT FLAT").append('\n');
        Path out = ctx.options().out().resolve("soak-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")) + ".md");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, md);
        } catch (IOException e) {
            throw new BenchException("cannot write " + out + ": " + e.getMessage());
        }
        verdicts.forEach(v -> Console.say("  " + v));
        Console.say("soak: " + (ok ? "flat within 10 %" : "NOT flat") + "; " + out);
        return ok;
    }

    private static boolean flat(String what, double from, double to, double slack, List<String> verdicts) {
        boolean ok = Math.abs(to - from) <= Math.max(from * FLAT, slack);
        verdicts.add(String.format(Locale.ROOT, "- %s: %.1f -> %.1f (%+.1f %%) %s", what, from, to,
                                   from == 0 ? 0 : (to - from) * 100 / from, ok ? "flat" : "NOT flat"));
        return ok;
    }
}
