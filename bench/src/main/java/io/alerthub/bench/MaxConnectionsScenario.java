package io.alerthub.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * {@code connections}: 100,000 concurrent WebSocket connections on one hub, or as many as the file descriptor limits
 * of this machine allow. Every connection subscribes to one topic; the scenario measures the hub's RSS with all of
 * them open, sends {@value #BROADCASTS} events to that topic one after the other and measures each until the last
 * subscriber has it, then closes them all and waits (at most {@link #BACK_TIMEOUT}) until the hub's connections,
 * descriptors and RSS are back to where they were before.
 *
 * <p>Each side needs a descriptor per connection, and both run as this user: the hub's launcher raises its soft
 * limit to the hard one, as the JVM does for the generator, and the count is what fits below both (the hub keeps a
 * tenth of its limit in reserve, see its start-up log). The client sockets are bound to 127.0.0.2, 127.0.0.3, ...,
 * enough that each address's ephemeral port range holds its share.
 */
final class MaxConnectionsScenario {

    static final int GOAL = 100_000;
    static final double RSS_LIMIT_MB = 1200;
    static final double BROADCAST_LIMIT_MS = 2000;
    private static final int BROADCASTS = 3;
    /** Hub connections kept for everything but the subscribers: the publisher and the probe. */
    private static final int HUB_MARGIN = 32;
    /** Connections opened, broadcast to and closed before the baseline, so that it is a hub that has done it once. */
    private static final int WARM_UP_CONNECTIONS = 1000;
    private static final Duration BACK_TIMEOUT = Duration.ofSeconds(180);
    /** Descriptors above the baseline still counted as back: the probe's own HTTP connection comes and goes. */
    private static final long FD_SLACK = 8;
    private static final Pattern HUB_CAP = Pattern.compile("at most (\\d+) connections");
    private static final long SELF = ProcessHandle.current().pid();

    private final BenchContext ctx;
    private final Results results;

    MaxConnectionsScenario(BenchContext ctx, Results results) {
        this.ctx = ctx;
        this.results = results;
    }

    void run() {
        try (Server hub = Server.alertHub(ctx, "alerthub-connections", ctx.options().fsync(),
                                          Server.websocketPlugin(GOAL, false))) {
            run(hub);
        }
    }

    /** Descriptor limits of the hub and the generator, and the connections that fit below both. */
    private record Limits(long[] hub, long hubCap, long[] self, long selfOpen, long selfCap) {

        static Limits of(Server hub) {
            long[] self = ProcStats.fdLimits(SELF);
            long selfOpen = ProcStats.openFds(SELF);
            long[] hubLimits = ProcStats.fdLimits(hub.pid());
            return new Limits(hubLimits, MaxConnectionsScenario.hubCap(hub, hubLimits[0]), self, selfOpen,
                              self[0] - selfOpen - Math.max(256, self[0] / 20));
        }

        int connections() {
            return (int) Math.max(1, Math.min(GOAL, Math.min(hubCap - HUB_MARGIN, selfCap)));
        }

        String describe() {
            return String.format(Locale.ROOT, "file descriptors: hub limit %s soft / %s hard, at most %s connections"
                                         + " below it; generator limit %s soft / %s hard, %s open, %s connections"
                                         + " below it", count(hub[0]), count(hub[1]), count(hubCap), count(self[0]),
                                 count(self[1]), count(selfOpen), count(selfCap));
        }
    }

    private void run(Server hub) {
        Limits limits = Limits.of(hub);
        int n = limits.connections();
        String limitedBy = n >= GOAL ? null : "fd hard limit " + count(Math.min(limits.hub()[1], limits.self()[1]))
                + " here";
        List<InetAddress> sources = sourceAddresses(n);
        Console.say("scenario connections: " + Report.count(n) + " WebSocket connections from " + sources.size()
                            + " source addresses (127.0.0.2..) on " + hub.label()
                            + (limitedBy == null ? "" : "; not " + Report.count(GOAL) + ": " + limitedBy));
        Console.say("  " + limits.describe());
        NioWebSockets.Setup setup = new NioWebSockets.Setup(false, sources);
        HubProbe probe = new HubProbe(hub);
        Topics topics = new Topics(1);
        LatencyRecorder latency = new LatencyRecorder();
        try (PipelinedHttpSink publisher = new PipelinedHttpSink(hub)) {
            try (WsSubscribers warm = open(hub, setup, Math.min(WARM_UP_CONNECTIONS, n), latency)) {
                broadcast(publisher, topics, warm, latency);
            }
            probe.awaitNoConnections(Duration.ofSeconds(30));
            double baselineRss = rssMb(hub);
            long baselineFds = ProcStats.openFds(hub.pid());

            long t0 = System.nanoTime();
            double openSeconds;
            long openFds;
            double openRss;
            List<Double> maxMs = new ArrayList<>();
            double p50 = 0;
            long missing = 0;
            double rss;
            try (PeakRss peak = PeakRss.watch(hub.pid())) {
                WsSubscribers pool = open(hub, setup, n, latency);
                openSeconds = (System.nanoTime() - t0) / 1e9;
                try {
                    openFds = ProcStats.openFds(hub.pid());
                    openRss = rssMb(hub);
                    for (int b = 0; b < BROADCASTS; b++) {
                        Broadcast one = broadcast(publisher, topics, pool, latency);
                        maxMs.add(one.maxMs());
                        p50 = one.p50Ms();
                        missing += one.missing();
                    }
                } finally {
                    rss = Math.max(peak.mb(), baselineRss);
                    t0 = System.nanoTime();
                    pool.close();
                }
            }
            Back back = awaitBack(hub, probe, baselineRss, baselineFds);
            double backSeconds = back.back() ? (System.nanoTime() - t0) / 1e9 : -1;
            String note = back.back() ? null : "not back within " + BACK_TIMEOUT.toSeconds() + " s";
            Results.ManyConnections r = new Results.ManyConnections(
                    hub.label(), n, limitedBy, limits.hub()[0], limits.self()[0], sources.size(), openSeconds,
                    baselineRss, openRss, rss, (rss - baselineRss) * 1024 / n, baselineFds, openFds,
                    List.copyOf(maxMs), p50, missing, back.rssMb(), back.fds(), back.connections(), backSeconds,
                    back.back(), note);
            results.manyConnections.add(r);
            Console.say("  " + summary(r));
        }
    }

    /** The hub's own connection cap, from its start-up log; else as the hub computes it from its limit. */
    private static long hubCap(Server hub, long softLimit) {
        try {
            Matcher m = HUB_CAP.matcher(Files.readString(hub.log()));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        } catch (IOException e) {
            // computed below
        }
        return softLimit - ProcStats.openFds(hub.pid()) - Math.max(128, softLimit / 10);
    }

    /**
     * 127.0.0.2 onwards, at least two, and enough that none carries more than three quarters of the ephemeral port
     * range: a socket bound before it connects takes a port of its address's range for itself.
     */
    static List<InetAddress> sourceAddresses(int connections) {
        int ports = 28_232;
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            // Linux's default range
        }
        int perAddress = Math.max(1, ports * 3 / 4);
        int count = Math.max(2, (connections + perAddress - 1) / perAddress);
        List<InetAddress> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                out.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) ((i + 2) >> 8), (byte) (i + 2)}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private WsSubscribers open(Server hub, NioWebSockets.Setup setup, int count, LatencyRecorder latency) {
        return WsSubscribers.open(hub, WsSubscribers.ClientKind.NIO, setup, ctx.options().readerThreads(), count, 1,
                                  latency, Duration.ofSeconds(60 + count / 200));
    }

    /** One broadcast: publish until the last subscriber had it, the median subscriber, and who never had it. */
    private record Broadcast(double maxMs, double p50Ms, long missing) {
    }

    private static Broadcast broadcast(PipelinedHttpSink publisher, Topics topics, WsSubscribers pool,
                                       LatencyRecorder latency) {
        latency.reset();
        long pseq = topics.next(0);
        AtomicReference<String> refused = new AtomicReference<>();
        publisher.send(Topics.characteristic(0), pseq, new EventSink.Outcome() {
            @Override
            public void accepted() {
                topics.accepted(0, pseq);
            }

            @Override
            public void failed(String why) {
                refused.set(why);
            }
        });
        publisher.awaitAnswers(Duration.ofSeconds(30));
        if (refused.get() != null) {
            throw new BenchException("the hub refused the broadcast: " + refused.get());
        }
        List<Subscriber> subs = pool.subscribers();
        boolean[] open = new boolean[subs.size()];
        Arrays.fill(open, true);
        LoadStep.awaitDrained(subs, open, topics, Duration.ofSeconds(30));
        long missing = subs.stream().filter(s -> s.lastPseq() < pseq).count();
        Histogram h = latency.interval();
        return new Broadcast(h.getMaxValue() / 1000.0, h.getValueAtPercentile(50) / 1000.0, missing);
    }

    /** Where the hub stood when it was back (or when the wait ended). */
    private record Back(boolean back, long connections, long fds, double rssMb) {
    }

    /** Waits until the hub has no connection, its descriptors at their baseline and its RSS within 10 % of its own. */
    private static Back awaitBack(Server hub, HubProbe probe, double baselineRss, long baselineFds) {
        long deadline = System.nanoTime() + BACK_TIMEOUT.toNanos();
        while (true) {
            long connections = probe.connections();
            long fds = ProcStats.openFds(hub.pid());
            double rss = rssMb(hub);
            boolean back = connections == 0 && fds <= baselineFds + FD_SLACK && rss <= baselineRss * 1.10;
            if (back || System.nanoTime() - deadline >= 0) {
                return new Back(back, connections, fds, rss);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Back(false, connections, fds, rss);
            }
        }
    }

    private static double rssMb(Server hub) {
        return ProcStats.rssBytes(hub.pid()) / 1048576.0;
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "unlimited" : Report.count(n);
    }

    /** What of the target was not met at the count measured; empty when all was. */
    static List<String> unmet(Results.ManyConnections c) {
        List<String> out = new ArrayList<>();
        if (c.rssMb() > RSS_LIMIT_MB) {
            out.add("RSS " + Report.mb(c.rssMb()));
        }
        double worst = c.broadcastMaxMs().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        if (!(worst <= BROADCAST_LIMIT_MS)) {
            out.add("a broadcast took " + Report.ms(worst) + " ms");
        }
        if (c.broadcastMissing() > 0) {
            out.add(c.broadcastMissing() + " deliveries of the broadcasts missed");
        }
        if (!c.backToBaseline()) {
            out.add("not back to baseline");
        }
        return out;
    }

    /** One line: what was measured, and what the per-connection figure makes of 100,000. */
    static String summary(Results.ManyConnections c) {
        double projected = c.baselineRssMb() + c.kbPerConnection() * GOAL / 1024;
        return String.format(Locale.ROOT,
                "%s connections from %d source addresses, opened in %.1f s: RSS %.0f MB once open, %.0f MB at its highest"
                        + " (%.1f KB per connection over %.0f MB; at %s: about %.0f MB), fds %d -> %d; broadcast to all in %s ms (p50 %s ms), %d"
                        + " missed; closed: RSS %.0f MB, fds %d, %d connections left, %s",
                Report.count(c.connections()), c.sourceAddresses(), c.openSeconds(), c.openRssMb(), c.rssMb(),
                c.kbPerConnection(),
                c.baselineRssMb(), Report.count(GOAL), projected, c.baselineFds(), c.openFds(),
                String.join(" / ", c.broadcastMaxMs().stream().map(Report::ms).toList()), Report.ms(c.broadcastP50Ms()),
                c.broadcastMissing(), c.afterRssMb(), c.afterFds(), c.connectionsAfter(),
                c.backToBaseline() ? String.format(Locale.ROOT, "back to baseline in %.1f s", c.backSeconds())
                        : "NOT back to baseline");
    }

    /** The Markdown section of the results. */
    static void markdown(Results r, StringBuilder b) {
        if (r.manyConnections.isEmpty()) {
            return;
        }
        b.append("\n## Many connections\n\n");
        for (Results.ManyConnections c : r.manyConnections) {
            b.append("- ").append(c.server()).append(": ").append(summary(c));
            if (c.limitedBy() != null) {
                b.append(". Not ").append(Report.count(GOAL)).append(": ").append(c.limitedBy());
            }
            b.append(".\n");
        }
    }
}
