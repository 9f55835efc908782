package io.alerthub.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a run's results: {@code <run>.json} (everything), {@code <run>.md} (the tables) and {@code <run>.png}. */
final class ResultFiles {

    private static final List<String> SERVER_ORDER = List.of(Targets.HUB, Targets.NODE, Targets.FANOUT);
    private static final Map<String, Color> COLORS = Map.of(Targets.HUB, new Color(0x1f77b4),
                                                            Targets.NODE, new Color(0x2ca02c),
                                                            Targets.FANOUT, new Color(0x7f7f7f));

    private ResultFiles() {
    }

    static void write(Results r, Path dir) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(r.run + ".json").toFile(), r);
            Files.writeString(dir.resolve(r.run + ".md"), markdown(r));
            if (!r.fixedRate.isEmpty() || !r.ramps.isEmpty()) {
                chart(r, dir.resolve(r.run + ".png"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String markdown(Results r) {
        StringBuilder b = new StringBuilder();
        b.append("# AlertHub benchmark: ").append(r.run).append("\n\n");
        b.append("Machine: ").append(r.machine.get("cpu")).append(", ").append(r.machine.get("cores"))
                .append(" cores, ").append(r.machine.get("memory")).append(", Linux ").append(r.machine.get("kernel"))
                .append(", JDK ").append(r.machine.get("jdk")).append(", Node ").append(r.machine.get("node"))
                .append("; load average at start ").append(r.machine.get("load_average")).append(".  \n");
        b.append("Hub: `JAVA_OPTS=\"").append(r.settings.get("hub_java_opts")).append("\"`, fsync ")
                .append(r.settings.get("fsync")).append(", commit ").append(r.settings.get("commit"))
                .append(". Generator: ").append(r.settings.get("ws_client")).append(" WebSocket client. ")
                .append(r.mode).append(" run, ").append(String.format(Locale.ROOT, "%.1f", r.minutes))
                .append(" minutes. Hub, peers and generator share the machine.\n\n");

        b.append("## Targets\n\n| target | threshold | measured | verdict |\n|---|---|---|---|\n");
        for (Results.Target t : r.targets) {
            b.append("| ").append(t.target()).append(" | ").append(t.threshold()).append(" | ").append(t.measured())
                    .append(" | **").append(t.verdict()).append("** |\n");
        }

        if (!r.fixedRate.isEmpty()) {
            Set<String> servers = servers(r.fixedRate.stream().map(Results.FixedRate::server).toList());
            b.append("\n## Fixed rate: publish-to-receive latency\n\n");
            b.append("p50 / p99 / max in ms (p99 as a range when measured more than once); deliveries lost; the"
                             + " server's highest RSS.\n\n| scenario |");
            servers.forEach(s -> b.append(' ').append(s).append(" |"));
            b.append("\n|---|");
            servers.forEach(s -> b.append("---|"));
            b.append('\n');
            Map<String, List<Results.FixedRate>> byScenario = r.fixedRate.stream()
                    .collect(Collectors.groupingBy(Results.FixedRate::scenario, LinkedHashMap::new,
                                                   Collectors.toList()));
            for (List<Results.FixedRate> rows : byScenario.values()) {
                b.append("| ").append(rows.getFirst().title()).append(" |");
                for (String s : servers) {
                    List<Measurement> ms = rows.stream().filter(x -> x.server().equals(s))
                            .map(Results.FixedRate::measurement).toList();
                    b.append(' ').append(ms.isEmpty() ? "-" : latencyCell(ms)).append(" |");
                }
                b.append('\n');
            }
        }

        if (!r.ramps.isEmpty()) {
            b.append("\n## Ramp: highest sustained deliveries/s (p99 <= 100 ms, nothing lost)\n\n");
            b.append("| subscribers | server | deliveries/s | p99 there | server CPU there | CPU per 1,000/s | RSS |"
                             + " stopped | limited by |\n|---|---|---|---|---|---|---|---|---|\n");
            for (Results.Ramp ramp : r.ramps) {
                Measurement m = ramp.best();
                b.append("| ").append(Report.count(ramp.subscribers())).append(" | ").append(ramp.server())
                        .append(" | ").append(m == null ? "none" : "**" + Report.count(m.deliveriesPerSecond()) + "**")
                        .append(" | ").append(m == null ? "-" : Report.ms(m.p99Ms()) + " ms").append(" | ")
                        .append(m == null ? "-" : Report.percent(m.serverCpuPercent())).append(" | ")
                        .append(m == null ? "-" : String.format(Locale.ROOT, "%.2f %%", m.cpuPerThousandDeliveries()))
                        .append(" | ").append(m == null ? "-" : Report.mb(m.serverRssMb())).append(" | ")
                        .append(ramp.stoppedBecause()).append(" | ").append(ramp.limitedBy()).append(" |\n");
            }
            for (int subs : r.ramps.stream().map(Results.Ramp::subscribers).distinct().toList()) {
                double hub = best(r, Targets.HUB, subs);
                double node = best(r, Targets.NODE, subs);
                double fanout = best(r, Targets.FANOUT, subs);
                if (hub > 0 && node > 0) {
                    b.append(String.format(Locale.ROOT, "\n%s subscribers: AlertHub / Node ws = **%.2fx**.",
                                           Report.count(subs), hub / node));
                }
                if (fanout > 0) {
                    b.append(String.format(Locale.ROOT, " The generator's ceiling, against the minimal fan-out"
                                                   + " server, is %s deliveries/s%s.",
                                           (fanoutStopped(r, subs) ? "" : "at least ") + Report.count(fanout),
                                           hub >= 0.9 * fanout
                                                   ? ": AlertHub reached it, so the generator, not the hub, is the limit"
                                                   : ""));
                }
                b.append('\n');
            }
        }

        if (!r.idle.isEmpty() || !r.churn.isEmpty()) {
            b.append("\n## Connections\n\n| server | 10,000 idle connections | churn: 2,000 connects/s |\n"
                             + "|---|---|---|\n");
            for (String s : servers(concat(r.idle.stream().map(Results.Idle::server).toList(),
                                           r.churn.stream().map(Results.Churn::server).toList()))) {
                String idle = r.idle.stream().filter(i -> i.server().equals(s)).findFirst()
                        .map(i -> String.format(Locale.ROOT, "RSS %.0f MB (baseline %.0f MB, %.1f KB per connection)",
                                                i.rssMb(), i.baselineRssMb(), i.kbPerConnection())).orElse("-");
                String churn = r.churn.stream().filter(c -> c.server().equals(s)).findFirst()
                        .map(c -> String.format(Locale.ROOT, "%.0f/s for %.0f s, %d failed; RSS %.0f -> peak %.0f ->"
                                                        + " %.0f MB%s; %s", c.achievedPerSecond(), c.seconds(),
                                                c.failures(), c.baselineRssMb(), c.peakRssMb(), c.afterRssMb(),
                                                c.baselineHeapMb() < 0 ? "" : String.format(Locale.ROOT,
                                                        "; live heap %.1f -> %.1f MB", c.baselineHeapMb(),
                                                        c.afterHeapMb()),
                                                c.backToBaseline() ? "back to baseline" : "**not back to baseline**"))
                        .orElse("-");
                b.append("| ").append(s).append(" | ").append(idle).append(" | ").append(churn).append(" |\n");
            }
        }

        if (!r.ingest.isEmpty()) {
            b.append("\n## Ingest over HTTP, WebSocket plugin on\n\n"
                             + "| server | fsync | events per request | connections | events/s accepted"
                             + " | request p50 / p99 | server CPU | RSS |\n"
                             + "|---|---|---|---|---|---|---|---|\n");
            for (Results.Ingest i : r.ingest) {
                b.append("| ").append(i.server()).append(" | ").append(i.fsync()).append(" | ").append(i.batch())
                        .append(" | ").append(i.connections()).append(" | **")
                        .append(Report.count(i.eventsPerSecond())).append("** | ").append(Report.ms(i.requestP50Ms()))
                        .append(" / ").append(Report.ms(i.requestP99Ms())).append(" ms | ")
                        .append(Report.percent(i.serverCpuPercent())).append(" | ").append(Report.mb(i.serverRssMb()))
                        .append(" |\n");
            }
        }

        if (!r.cluster.isEmpty()) {
            b.append("\n## Cluster: 3 hubs on NATS JetStream against the single hub, 100 events/s, one publisher\n\n"
                             + "The publisher posts to instance 1; every subscriber is on characteristic 1. CPU in"
                             + " percent of one core: the hub process(es) of the setup together, and the NATS"
                             + " server.\n\n"
                             + "| run | setup | subscribers | delivered/s | p50 / p90 / p99 / max ms | lost |"
                             + " hubs' CPU | NATS CPU | RSS |\n|---|---|---|---|---|---|---|---|---|\n");
            for (Results.ClusterStep c : r.cluster) {
                Measurement m = c.measurement();
                b.append("| ").append(c.repetition()).append(" | ").append(c.setup())
                        .append(c.where().equals(ClusterScenario.ALL) ? "" : ", " + c.where()).append(" | ")
                        .append(Report.count(m.subscribers())).append(" | ").append(Report.count(m.deliveriesPerSecond()))
                        .append(" | ").append(Report.ms(m.p50Ms())).append(" / ").append(Report.ms(m.p90Ms()))
                        .append(" / ").append(Report.ms(m.p99Ms())).append(" / ").append(Report.ms(m.maxMs()))
                        .append(" | ").append(m.lost() + m.outOfOrder()).append(" | ")
                        .append(c.where().equals(ClusterScenario.ALL) ? Report.percent(c.instancesCpuPercent())
                                        : Report.percent(m.serverCpuPercent()))
                        .append(" | ").append(c.engineCpuPercent() < 0 ? "-" : Report.percent(c.engineCpuPercent()))
                        .append(" | ").append(c.where().equals(ClusterScenario.ALL) && c.setup().equals(ClusterScenario.CLUSTER)
                                        ? "-" : Report.mb(m.serverRssMb()))
                        .append(" |\n");
            }
        }

        DeflateScenario.markdown(r, b);
        MaxConnectionsScenario.markdown(r, b);
        if (!r.notes.isEmpty()) {
            b.append("\n## Notes\n\n");
            r.notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    private static String latencyCell(List<Measurement> ms) {
        Measurement median = ms.stream().sorted(Comparator.comparingDouble(Measurement::p99Ms)).toList()
                .get(ms.size() / 2);
        double lo = ms.stream().mapToDouble(Measurement::p99Ms).min().orElse(0);
        double hi = ms.stream().mapToDouble(Measurement::p99Ms).max().orElse(0);
        long lost = ms.stream().mapToLong(m -> m.lost() + m.outOfOrder()).sum();
        double rss = ms.stream().mapToDouble(Measurement::serverRssMb).max().orElse(0);
        String p99 = ms.size() == 1 ? Report.ms(hi) : Report.ms(lo) + "-" + Report.ms(hi);
        return Report.ms(median.p50Ms()) + " / **" + p99 + "** / " + Report.ms(median.maxMs()) + ", " + lost
                + " lost, " + Report.mb(rss);
    }

    private static double best(Results r, String server, int subscribers) {
        return r.ramps.stream().filter(x -> x.server().equals(server) && x.subscribers() == subscribers)
                .map(Results.Ramp::best).filter(m -> m != null).mapToDouble(Measurement::deliveriesPerSecond)
                .findFirst().orElse(0);
    }

    private static boolean fanoutStopped(Results r, int subscribers) {
        return r.ramps.stream().filter(x -> x.server().equals(Targets.FANOUT) && x.subscribers() == subscribers)
                .anyMatch(x -> x.stoppedBecause().startsWith("at "));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The servers present, the hub and its peers first, others (MQTT) after in the order seen. */
    private static Set<String> servers(List<String> seen) {
        Set<String> out = new LinkedHashSet<>();
        SERVER_ORDER.stream().filter(seen::contains).forEach(out::add);
        out.addAll(seen);
        return out;
    }

    /** Two panels: p99 latency against subscribers (100 events/s, one topic), and the ramp's best against them. */
    static void chart(Results r, Path png) throws IOException {
        XYChart latency = new XYChartBuilder().width(640).height(420)
                .title("p99 publish-to-receive, 1 topic, 100 events/s").xAxisTitle("subscribers")
                .yAxisTitle("p99 latency (ms)").build();
        XYChart ramp = new XYChartBuilder().width(640).height(420)
                .title("highest sustained deliveries/s (p99 <= 100 ms, none lost)").xAxisTitle("subscribers")
                .yAxisTitle("deliveries per second").build();
        for (XYChart c : List.of(latency, ramp)) {
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setMarkerSize(9);
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
            c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        latency.getStyler().setYAxisLogarithmic(true);
        ramp.getStyler().setYAxisMin(0.0);
        ramp.getStyler().setYAxisDecimalPattern("#,###");
        for (String server : SERVER_ORDER) {
            TreeMap<Integer, List<Double>> p99 = new TreeMap<>();
            r.fixedRate.stream().filter(f -> f.server().equals(server) && f.scenario().startsWith("latency-"))
                    .map(Results.FixedRate::measurement)
                    .forEach(m -> p99.computeIfAbsent(m.subscribers(), k -> new ArrayList<>()).add(m.p99Ms()));
            if (!p99.isEmpty()) {
                double[] x = p99.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[] y = p99.values().stream().mapToDouble(v -> v.stream().sorted().toList().get(v.size() / 2))
                        .toArray();
                style(latency.addSeries(server, x, y), server);
            }
            TreeMap<Integer, Double> best = new TreeMap<>();
            r.ramps.stream().filter(x -> x.server().equals(server) && x.best() != null)
                    .forEach(x -> best.put(x.subscribers(), x.best().deliveriesPerSecond()));
            if (!best.isEmpty()) {
                double[] x = best.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[] y = best.values().stream().mapToDouble(Double::doubleValue).toArray();
                style(ramp.addSeries(server, x, y), server);
            }
        }
        if (latency.getSeriesCollection().isEmpty()) {
            BitmapEncoder.saveBitmap(ramp, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else if (ramp.getSeriesCollection().isEmpty()) {
            BitmapEncoder.saveBitmap(latency, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(List.of(latency, ramp), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static void style(XYSeries s, String server) {
        Color c = COLORS.getOrDefault(server, Color.DARK_GRAY);
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }
}
