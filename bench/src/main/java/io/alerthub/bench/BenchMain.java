package io.alerthub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./alerthub bench}: runs the hub (from the built distribution) and its peers as processes of their own,
 * drives them with the load generator of this module, and writes the results to {@code bench/results/}.
 * {@code --micro} runs the JMH micro-benchmarks instead. See bench/README.md.
 */
public final class BenchMain {

    private final Options options;
    private final BenchContext ctx;
    private final Results results = new Results();
    private final Timing timing;

    private BenchMain(Options options, BenchContext ctx) {
        this.options = options;
        this.ctx = ctx;
        Timing mode = Timing.of(options.quick());
        this.timing = options.sweep().isEmpty() ? mode : mode.withSweep(options.sweep());
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("alerthub.root", ".")).toAbsolutePath().normalize();
        Options options;
        try {
            options = Options.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.micro()) {
            System.exit(MicroBenchmarks.run(options, root));
        }
        if (options.soak() != null) {
            BenchContext soakCtx = BenchContext.create(options, root, "soak");
            System.exit(new SoakScenario(soakCtx, options.soak()).run() ? 0 : 1);
        }
        String runId = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").format(LocalDateTime.now())
                + (options.quick() ? "-quick" : "-full");
        BenchMain bench = new BenchMain(options, BenchContext.create(options, root, runId));
        bench.results.run = runId;
        System.exit(bench.run());
    }

    private int run() {
        results.started = ZonedDateTime.now().toOffsetDateTime().toString();
        results.mode = options.quick() ? "quick" : "full";
        describeMachine();
        Console.say("AlertHub benchmark " + results.run + " (" + results.mode + "); results go to " + options.out());
        Console.say("machine: " + results.machine);
        int exit = 0;
        try {
            if (!Files.isExecutable(ctx.dist().resolve("bin/alerthub"))) {
                throw new BenchException("no built distribution at " + ctx.dist()
                                                 + " (./alerthub bench builds it; or mvn package)");
            }
            if (options.runs("latency") || options.runs("topics") || options.runs("sequential")
                    || options.runs("ramp")) {
                loadScenarios();
            }
            ConnectionScenarios connections = new ConnectionScenarios(ctx, results, timing);
            List<Server.Kind> connectionServers = timing.allPeers()
                    ? List.of(Server.Kind.ALERTHUB, Server.Kind.NODE_WS) : List.of(Server.Kind.ALERTHUB);
            Map<String, Consumer<Server>> connectionScenarios = new LinkedHashMap<>();
            connectionScenarios.put("idle", connections::idle);
            connectionScenarios.put("churn", connections::churn);
            connectionScenarios.forEach((scenario, measure) -> {
                if (!options.runs(scenario)) {
                    return;
                }
                for (Server.Kind kind : connectionServers) {
                    fresh(kind, scenario).ifPresent(s -> {
                        try (s) {
                            measure.accept(s);
                        }
                    });
                }
            });
            if (options.runs("ingest") && options.measures("alerthub")) {
                // Quick: the targets' case, the durable policy. Full: every policy.
                new IngestScenario(results, timing).runAll(ctx, options.quick(), "batch");
            }
            if (options.runs("cluster") && options.measures("alerthub")) {
                ClusterScenario cluster = new ClusterScenario(ctx, results, timing);
                String missing = cluster.missing();
                if (missing != null) {
                    results.note("cluster scenario not run: " + missing + ".");
                } else {
                    cluster.run();
                }
            }
            if (options.runs("deflate") && options.measures("alerthub")) {
                new DeflateScenario(ctx, results, timing).run();
            }
            if (options.runs("connections") && options.measures("alerthub")) {
                new MaxConnectionsScenario(ctx, results).run();
            }
            if (options.runs("mqtt")) {
                MqttScenario mqtt = new MqttScenario(ctx, results, timing);
                String missing = mqtt.missing();
                if (missing != null) {
                    results.note("MQTT scenario not run: " + missing + ".");
                } else {
                    try {
                        mqtt.run();
                    } catch (BenchException e) {
                        results.note("MQTT scenario failed: " + e.getMessage());
                    }
                }
            }
        } catch (BenchException e) {
            results.note("the run stopped: " + e.getMessage());
            exit = 1;
        } finally {
            results.minutes = Console.elapsedMinutes();
            Targets.evaluate(results);
            ResultFiles.write(results, options.out());
            Console.say("targets:");
            for (Results.Target t : results.targets) {
                Console.say("  " + t.verdict().toUpperCase(java.util.Locale.ROOT) + "  " + t.target() + " ("
                                    + t.threshold() + "): " + t.measured());
            }
            Console.say("wrote " + options.out().resolve(results.run + ".json") + ", .md and .png ("
                                + String.format(java.util.Locale.ROOT, "%.1f", results.minutes) + " minutes)");
        }
        return exit;
    }

    private void loadScenarios() {
        List<Server> servers = new ArrayList<>();
        try {
            for (Server.Kind kind : List.of(Server.Kind.ALERTHUB, Server.Kind.NODE_WS, Server.Kind.FANOUT)) {
                if (kind == Server.Kind.ALERTHUB && options.fsyncs().size() > 1 && options.measures(kind.id)) {
                    for (String fsync : options.fsyncs()) {
                        servers.add(Server.alertHub(ctx, kind.id + "-load-" + fsync, kind.label + " (fsync " + fsync
                                + ")", fsync, Server.websocketPlugin()));
                    }
                    continue;
                }
                fresh(kind, "load").ifPresent(servers::add);
            }
            if (servers.isEmpty()) {
                return;
            }
            LoadScenarios load = new LoadScenarios(ctx, servers, results, timing);
            load.warmUp();
            if (options.runs("latency")) {
                load.latencySweep();
            }
            if (options.runs("topics") || options.runs("sequential")) {
                load.topics(options.runs("sequential"));
            }
            if (options.runs("ramp")) {
                for (int subscribers : timing.rampSubscribers()) {
                    load.ramp(subscribers);
                }
            }
        } finally {
            servers.forEach(Server::close);
        }
    }

    /** Starts a fresh server of this kind, when it is selected and available (else says why not). */
    private Optional<Server> fresh(Server.Kind kind, String purpose) {
        if (!options.measures(kind.id)) {
            return Optional.empty();
        }
        String name = kind.id + "-" + purpose;
        return switch (kind) {
            case ALERTHUB -> {
                Server hub = Server.alertHub(ctx, name, options.fsync(), Server.websocketPlugin());
                results.settings.put("hub_java_opts", hub.jvmFlags());
                yield Optional.of(hub);
            }
            case NODE_WS -> {
                if (ctx.node().isEmpty()) {
                    if (!results.notes.stream().anyMatch(n -> n.startsWith("Node ws peer"))) {
                        results.note("Node ws peer not run: node is not on the PATH or bench/node_modules/ws is"
                                             + " missing (bench/run installs it with npm ci).");
                    }
                    yield Optional.empty();
                }
                yield Optional.of(Server.nodeWs(ctx, name));
            }
            case FANOUT -> Optional.of(Server.fanout(ctx, name));
            case MOSQUITTO -> Optional.empty();
        };
    }

    private void describeMachine() {
        results.machine.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name").orElse("unknown"));
        results.machine.put("cores", Runtime.getRuntime().availableProcessors());
        results.machine.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Math.round(Long.parseLong(v.replaceAll("[^0-9]", "")) / 1048576.0) + " GB").orElse("?"));
        results.machine.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")).orElse("?").trim());
        results.machine.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        results.machine.put("node", ctx.node().map(n -> output(n.toString(), "--version")).orElse("not installed"));
        results.machine.put("mosquitto", ctx.mosquitto().map(m -> output(m.toString(), "-h").lines().findFirst()
                .orElse("?")).orElse("not installed"));
        results.machine.put("load_average", read(Path.of("/proc/loadavg")).map(l -> String.join(" ",
                List.of(l.split(" ")).subList(0, 3))).orElse("?"));
        results.settings.put("hub_java_opts", options.hubJavaOpts());
        results.settings.put("fsync", String.join(",", options.fsyncs()));
        results.settings.put("ws_client", options.wsClient() == WsSubscribers.ClientKind.NIO
                ? "the generator's NIO (" + options.readerThreads() + " selector threads)" : "the JDK's");
        results.settings.put("repeat", options.repeat());
        results.settings.put("commit", output("git", "-C", ctx.root().toString(), "rev-parse", "--short", "HEAD")
                + (output("git", "-C", ctx.root().toString(), "status", "--porcelain", "--untracked-files=no")
                .isBlank() ? "" : " (with local changes)"));
        results.settings.put("timing", timing.describe());
    }

    private static Optional<String> firstMatch(Path file, String key) {
        return read(file).flatMap(text -> text.lines().filter(l -> l.startsWith(key)).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
