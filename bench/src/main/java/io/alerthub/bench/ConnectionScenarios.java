package io.alerthub.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;


/**
 * What connections cost, on a freshly started server:
 * <ul>
 *   <li>{@code idle}: 10,000 subscribed connections that receive nothing: resident memory per connection;</li>
 *   <li>{@code churn}: 2,000 connects a second (each subscribes, is confirmed, and closes) for 30 s, on the JDK's
 *       WebSocket client: afterwards the hub must be back to no connections and its memory to its baseline
 *       (live heap after a full GC, and resident set).</li>
 * </ul>
 */
final class ConnectionScenarios {

    static final double CHURN_PER_SECOND = 2000;
    private static final int CHURN_IN_FLIGHT = 512;

    private final BenchContext ctx;
    private final Results results;
    private final Timing timing;

    ConnectionScenarios(BenchContext ctx, Results results, Timing timing) {
        this.ctx = ctx;
        this.results = results;
        this.timing = timing;
    }

    void idle(Server server) {
        int n = timing.idleConnections();
        Console.say("scenario idle: " + Report.count(n) + " idle WebSocket connections on " + server.label());
        pause(Duration.ofSeconds(3));
        double baseline = ProcStats.rssBytes(server.pid()) / 1048576.0;
        long t0 = System.nanoTime();
        try (WsSubscribers pool = WsSubscribers.open(server, WsSubscribers.ClientKind.NIO, 1, n, 100,
                                                     new LatencyRecorder(), Duration.ofSeconds(180))) {
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            pause(Duration.ofSeconds(5));
            double rss = ProcStats.rssBytes(server.pid()) / 1048576.0;
            long closed = pool.subscribers().stream().filter(Subscriber::isClosed).count();
            String note = closed == 0 ? null : closed + " connections were closed by the server while idle";
            Results.Idle r = new Results.Idle(server.label(), n, openSeconds, baseline, rss,
                                              (rss - baseline) * 1024 / n, note);
            results.idle.add(r);
            Console.say(String.format(java.util.Locale.ROOT,
                                      "  %s: %,d connections opened in %.1f s; RSS %.0f MB -> %.0f MB (%.1f KB per"
                                              + " connection)%s", server.label(), n, openSeconds, baseline, rss,
                                      r.kbPerConnection(), note == null ? "" : "; " + note));
        }
    }

    void churn(Server server) {
        Duration length = timing.churn();
        Console.say("scenario churn: " + Report.count(CHURN_PER_SECOND) + " connects/s for " + length.toSeconds()
                            + " s on " + server.label() + " (the JDK's WebSocket client)");
        HubProbe probe = server.kind() == Server.Kind.ALERTHUB ? new HubProbe(server) : null;
        HttpClient client = WsSubscriber.client();
        churn(server, client, Duration.ofSeconds(3));
        double baselineHeap = -1;
        if (probe != null) {
            probe.awaitNoConnections(Duration.ofSeconds(30));
            probe.fullGc(ctx.java());
            baselineHeap = probe.usedHeapMb();
        } else {
            pause(Duration.ofSeconds(3));
        }
        double baselineRss = ProcStats.rssBytes(server.pid()) / 1048576.0;
        Churned counts;
        double peakRss;
        try (PeakRss peak = PeakRss.watch(server.pid())) {
            counts = churn(server, client, length);
            peakRss = peak.mb();
        }
        double seconds = counts.nanos() / 1e9;
        long after = -1;
        double afterHeap = -1;
        if (probe != null) {
            after = probe.awaitNoConnections(Duration.ofSeconds(30));
            probe.fullGc(ctx.java());
            afterHeap = probe.usedHeapMb();
        } else {
            pause(Duration.ofSeconds(5));
        }
        double afterRss = ProcStats.rssBytes(server.pid()) / 1048576.0;
        boolean back = (probe == null || (after == 0 && afterHeap <= baselineHeap + Math.max(4, baselineHeap * 0.1)))
                && afterRss <= baselineRss * 1.10;
        String note = counts.failures() == 0 ? null : "first failure: " + counts.firstFailure();
        Results.Churn r = new Results.Churn(server.label(), CHURN_PER_SECOND, seconds, counts.connects(),
                                            counts.failures(), counts.connects() / seconds, baselineRss,
                                            peakRss, afterRss,
                                            baselineHeap, afterHeap, after, back, note);
        results.churn.add(r);
        Console.say(String.format(java.util.Locale.ROOT,
                                  "  %s: %,d connects in %.1f s (%.0f/s), %d failed; RSS %.0f -> peak %.0f -> %.0f MB"
                                          + "%s; %s", server.label(), counts.connects(), seconds,
                                  r.achievedPerSecond(), counts.failures(), baselineRss, r.peakRssMb(), afterRss,
                                  probe == null ? "" : String.format(java.util.Locale.ROOT,
                                                                     "; live heap %.1f -> %.1f MB; %d connections left",
                                                                     baselineHeap, afterHeap, after),
                                  back ? "back to baseline" : "NOT back to baseline"));
    }

    /** What a churn did: connections confirmed, connects that failed (and the first reason), and how long. */
    private record Churned(long connects, long failures, String firstFailure, long nanos) {
    }

    /** Connects at the churn rate for {@code length}. */
    private Churned churn(Server server, HttpClient client, Duration length) {
        LatencyRecorder unused = new LatencyRecorder();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong connects = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Semaphore inFlight = new Semaphore(CHURN_IN_FLIGHT);
        long period = Math.round(1e9 / CHURN_PER_SECOND);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long k = 0; ; k++) {
                long due = start + k * period;
                if (due - end >= 0) {
                    break;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquireUninterruptibly();
                int characteristic = (int) (k % 100) + 1;
                pool.submit(() -> {
                    WsSubscriber s = new WsSubscriber(0, unused);
                    try {
                        s.connect(client, server.wsUri(server.wsPath(characteristic)));
                        if (s.awaitReady(TimeUnit.SECONDS.toNanos(10))) {
                            connects.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                            failure.compareAndSet(null, s.isClosed() ? s.closeReason() : "no 'subscribed' in 10 s");
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        failure.compareAndSet(null, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        s.close();
                        inFlight.release();
                    }
                });
            }
        }
        return new Churned(connects.get(), failures.get(), failure.get(), System.nanoTime() - start);
    }

    private static void pause(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
