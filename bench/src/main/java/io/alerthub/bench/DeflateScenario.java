package io.alerthub.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code deflate}: what permessage-deflate (RFC 7692) costs and saves. Two hubs, one with
 * {@code plugins.websocket.permessage-deflate} off and one with it on, each with 1,000 subscribers that offer the
 * extension as browsers do (so the first declines and the second agrees), measured step by step in turn under the
 * same fixed-rate loads as {@code topics} and {@code latency}: bytes the subscribers read from their sockets, the
 * hub's CPU and RSS, the generator's CPU (which inflates), and publish-to-receive latency.
 */
final class DeflateScenario {

    static final int SUBSCRIBERS = 1000;
    static final String OFF = "off";
    static final String ON = "on";

    /** One fixed-rate load: subscribers spread over {@code topics}, events published at {@code rate}. */
    record Load(String id, String title, int topics, double rate) {
    }

    static final List<Load> LOADS = List.of(
            new Load("deflate-1000x100", "1,000 subscribers over 100 topics x 1,000 events/s", 100, 1000),
            new Load("deflate-1000x1", "1,000 subscribers on one topic x 100 events/s", 1, 100));

    private final BenchContext ctx;
    private final Results results;
    private final Timing timing;

    DeflateScenario(BenchContext ctx, Results results, Timing timing) {
        this.ctx = ctx;
        this.results = results;
        this.timing = timing;
    }

    void run() {
        // Alternated at least twice, so that a busy moment of the shared machine shows as a range, not as a verdict.
        int repeat = Math.max(2, ctx.options().repeat());
        Console.say("scenario deflate: the hub with permessage-deflate off and on, " + SUBSCRIBERS
                            + " subscribers offering it, " + repeat + " steps each, alternating");
        try (Server off = hub(OFF); Server on = hub(ON)) {
            boolean first = true;
            for (Load load : LOADS) {
                try (Rig offRig = rig(off, load); Rig onRig = rig(on, load)) {
                    for (Rig rig : List.of(offRig, onRig)) {
                        rig.step(load.rate(), first ? timing.firstWarmup() : timing.warmup(), timing.drain());
                        rig.recover(Duration.ofSeconds(10));
                    }
                    first = false;
                    for (int rep = 1; rep <= repeat; rep++) {
                        measure(load, OFF, offRig, rep);
                        measure(load, ON, onRig, rep);
                    }
                }
            }
        }
    }

    private Server hub(String mode) {
        return Server.alertHub(ctx, "alerthub-deflate-" + mode, label(mode), ctx.options().fsync(),
                               Server.websocketPlugin(20_000, mode.equals(ON)));
    }

    static String label(String mode) {
        return Server.Kind.ALERTHUB.label + ", deflate " + mode;
    }

    private Rig rig(Server hub, Load load) {
        return Rig.open(hub, WsSubscribers.ClientKind.NIO, NioWebSockets.Setup.DEFLATE, ctx.options().readerThreads(),
                        SUBSCRIBERS, load.topics());
    }

    private void measure(Load load, String mode, Rig rig, int rep) {
        NioWebSockets client = rig.subscribers().nio().orElseThrow();
        long bytesBefore = client.bytesRead();
        long inflatedBefore = client.inflatedMessages();
        Measurement m = rig.step(load.rate(), timing.measure(), timing.drain());
        long bytes = client.bytesRead() - bytesBefore;
        Results.Deflate d = new Results.Deflate(load.id(), load.title(), mode, rep, m, bytes,
                                                m.delivered() == 0 ? 0 : (double) bytes / m.delivered(),
                                                client.deflateAgreed(), client.inflatedMessages() - inflatedBefore);
        results.deflate.add(d);
        Console.say("  " + Console.line(m) + String.format(Locale.ROOT, "; %s on the wire (%.0f bytes per delivery),"
                + " %d agreed, %d inflated", Report.count(bytes), d.wireBytesPerDelivery(), d.agreed(), d.inflated()));
        rig.recover(Duration.ofSeconds(10));
    }

    /** Whether a step is whole: nothing lost, reordered or closed, and the extension agreed exactly in mode on. */
    static boolean whole(Results.Deflate d) {
        Measurement m = d.measurement();
        boolean agreement = d.mode().equals(ON) ? d.agreed() >= m.subscribers() && d.inflated() >= m.delivered()
                : d.agreed() == 0 && d.inflated() == 0;
        return m.lost() == 0 && m.outOfOrder() == 0 && m.closedSubscribers() == 0 && agreement;
    }

    /** The Markdown section of the results: per load and mode, the ranges over the repetitions. */
    static void markdown(Results r, StringBuilder b) {
        if (r.deflate.isEmpty()) {
            return;
        }
        b.append("\n## permessage-deflate: off vs on\n\n")
                .append("Subscribers offer `permessage-deflate; client_no_context_takeover; server_no_context_takeover`;"
                                + " bytes are what they read from their sockets (WebSocket frames, no TCP/IP"
                                + " headers). Ranges over the repetitions.\n\n")
                .append("| load | deflate | bytes per delivery | wire MB/s | hub CPU | hub CPU per 1,000 deliveries/s |"
                                + " generator CPU | p50 ms | p99 ms | hub RSS | lost | agreed |\n"
                                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Load load : LOADS) {
            for (String mode : List.of(OFF, ON)) {
                List<Results.Deflate> steps = r.deflate.stream()
                        .filter(d -> d.scenario().equals(load.id()) && d.mode().equals(mode)).toList();
                if (steps.isEmpty()) {
                    continue;
                }
                b.append("| ").append(load.title()).append(" | ").append(mode).append(" | ")
                        .append(range(steps, d -> d.wireBytesPerDelivery(), "%.0f")).append(" | ")
                        .append(range(steps, d -> d.wireBytes() / d.measurement().seconds() / 1e6, "%.2f"))
                        .append(" | ").append(range(steps, d -> d.measurement().serverCpuPercent(), "%.0f %%"))
                        .append(" | ").append(range(steps, d -> d.measurement().cpuPerThousandDeliveries(), "%.2f %%"))
                        .append(" | ").append(range(steps, d -> d.measurement().generatorCpuPercent(), "%.0f %%"))
                        .append(" | ").append(range(steps, d -> d.measurement().p50Ms(), "%.2f"))
                        .append(" | ").append(range(steps, d -> d.measurement().p99Ms(), "%.1f"))
                        .append(" | ").append(range(steps, d -> d.measurement().serverRssMb(), "%.0f MB"))
                        .append(" | ").append(steps.stream().mapToLong(d -> d.measurement().lost()
                                + d.measurement().outOfOrder()).sum())
                        .append(" | ").append(steps.getFirst().agreed()).append(" |\n");
            }
        }
    }

    /** {@code low-high} of a figure over steps (one value when they agree to the format's precision). */
    static String range(List<Results.Deflate> steps, java.util.function.ToDoubleFunction<Results.Deflate> figure,
                        String format) {
        double low = steps.stream().mapToDouble(figure).min().orElse(0);
        double high = steps.stream().mapToDouble(figure).max().orElse(0);
        String l = String.format(Locale.ROOT, format, low);
        String h = String.format(Locale.ROOT, format, high);
        return l.equals(h) ? l : l + " - " + h;
    }
}
