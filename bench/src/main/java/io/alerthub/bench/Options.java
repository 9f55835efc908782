package io.alerthub.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code ./alerthub bench}.
 *
 * @param quick       the short run (under five minutes with the build): fewer and shorter steps
 * @param micro       run the JMH micro-benchmarks instead; {@code jmhArgs} are passed to JMH
 * @param scenarios   which scenarios to run (all by default)
 * @param targets     which servers to measure (all that are available by default)
 * @param dist        the built distribution to run the hub from
 * @param hubJavaOpts JVM flags for the hub (passed as JAVA_OPTS)
 * @param fsync       the hub's {@code hub.log.fsync} policy
 * @param out         where results go
 * @param repeat      how many times each fixed-rate scenario is measured (results show the range)
 * @param wsClient    the subscribers' WebSocket client
 * @param readerThreads selector threads of the NIO client
 * @param sweep       subscriber counts of the one-topic latency scenario, or empty for the mode's own
 * @param fsyncs      {@code --fsync a,b}: the load scenarios run a hub per policy, alternating step by step
 *                    ({@code fsync} is the first)
 */
record Options(boolean quick, boolean micro, List<String> jmhArgs, Set<String> scenarios, Set<String> targets,
               Path dist, String hubJavaOpts, String fsync, Path out, int repeat, WsSubscribers.ClientKind wsClient,
               int readerThreads, List<Integer> sweep, java.time.Duration soak, List<String> fsyncs) {

    /** No flags of the bench's own: the hub runs with its launcher's defaults (bin/alerthub), as users run it. */
    static final String HUB_JAVA_OPTS = "";
    /** The hub's own {@code hub.log.fsync} (config/application.yaml, {@code LogSettings}): what users run. */
    static final String HUB_FSYNC = "interval";

    static final List<String> ALL_SCENARIOS = List.of("latency", "topics", "sequential", "ramp", "idle", "churn",
                                                      "ingest", "mqtt", "deflate", "connections");
    /** Left out of the quick run unless named: they would take it past five minutes. */
    static final List<String> FULL_RUN_ONLY = List.of("deflate", "connections");
    static final List<String> ALL_TARGETS = List.of("alerthub", "node-ws", "fanout", "mosquitto");
    /** Scenarios that run only when named: {@code cluster} needs NATS (--cluster). */
    static final List<String> KNOWN_SCENARIOS = List.of("latency", "topics", "sequential", "ramp", "idle", "churn",
                                                        "ingest", "mqtt", "deflate", "connections", "cluster");

    static final String USAGE = """
            usage: ./alerthub bench [--quick] [--cluster] [--scenarios LIST] [--targets LIST] [--repeat N]
                                    [--soak DURATION]
                                    [--hub-java-opts "FLAGS"] [--fsync batch|interval|none[,...]] [--dist DIR]
                                    [--out DIR]
                   ./alerthub bench --micro [JMH options, e.g. -f 1 -wi 2 -i 3 SubscriptionMatching]
              --quick       the short run (under 5 minutes): fewer, shorter steps
              --cluster     the cluster scenario alone: 3 hubs on NATS JetStream x 1,000 subscribers, one
                            publisher, against the single hub with 3,000 subscribers (needs the local NATS, or a
                            nats-server binary to start one)
              --scenarios   any of latency,topics,sequential,ramp,idle,churn,ingest,mqtt,deflate,connections,
                            cluster (default: all but cluster; the quick run also leaves out deflate and
                            connections); sequential is topics with a sequential producer beside its publisher
              --targets     any of alerthub,node-ws,fanout,mosquitto (default: all that are installed)
              --repeat      measure each fixed-rate scenario N times and report the range (default 1 quick, 2 full)
              --hub-java-opts  JVM flags for the hub (default: the launcher's own, see bin/alerthub)
              --fsync       the hub's hub.log.fsync (default interval, the hub's own default; the quick run's
                            ingest runs batch, the policy of its targets). A list (batch,interval): the load
                            scenarios measure a hub per policy, alternating step by step
              --ws-client   nio (default: the generator's own selector-based client) or jdk (the JDK's
                            java.net.http client; costs several times more CPU per delivery)
              --readers     selector threads of the nio client (default 2)
              --subscribers subscriber counts of the latency scenario (default 100,1000 quick;
                            100,250,500,1000,2000 full), e.g. --subscribers 100 for the first target alone
              --soak DURATION  the soak profile alone (e.g. --soak 10m): steady load, 1,000 reconnecting clients,
                            RSS, heap after GC, file descriptors and threads each minute, flat within 10 %
              --micro       the JMH micro-benchmarks (subscription matching, serialization, ingest validation,
                            event-log comparison) instead of the load scenarios
            """;

    static Options parse(String[] args, Path root) {
        boolean quick = false;
        boolean micro = false;
        List<String> jmh = new ArrayList<>();
        Set<String> scenarios = new LinkedHashSet<>(ALL_SCENARIOS);
        boolean named = false;
        Set<String> targets = new LinkedHashSet<>(ALL_TARGETS);
        Path dist = root.resolve("distribution/target/alerthub");
        String javaOpts = HUB_JAVA_OPTS;
        List<String> fsyncs = List.of(HUB_FSYNC);
        Path out = root.resolve("bench/results");
        Integer repeat = null;
        WsSubscribers.ClientKind client = WsSubscribers.ClientKind.NIO;
        int readers = 2;
        List<Integer> sweep = List.of();
        java.time.Duration soak = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (micro) {
                jmh.add(a);
                continue;
            }
            switch (a) {
                case "--quick" -> quick = true;
                case "--micro" -> micro = true;
                case "--scenarios" -> {
                    scenarios = names(value(args, ++i, a), KNOWN_SCENARIOS, a);
                    named = true;
                }
                case "--cluster" -> {
                    scenarios = new LinkedHashSet<>(List.of("cluster"));
                    named = true;
                }
                case "--targets" -> targets = names(value(args, ++i, a), ALL_TARGETS, a);
                case "--dist" -> dist = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--hub-java-opts" -> javaOpts = value(args, ++i, a);
                case "--fsync" -> fsyncs = List.copyOf(names(value(args, ++i, a), List.of("batch", "interval", "none"),
                                                             a));
                case "--out" -> out = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--repeat" -> repeat = wholeNumber(value(args, ++i, a), a, 1, 20);
                case "--ws-client" -> {
                    String v = value(args, ++i, a);
                    client = switch (v) {
                        case "nio" -> WsSubscribers.ClientKind.NIO;
                        case "jdk" -> WsSubscribers.ClientKind.JDK;
                        default -> throw new IllegalArgumentException("--ws-client takes nio or jdk, not " + v);
                    };
                }
                case "--readers" -> readers = wholeNumber(value(args, ++i, a), a, 1, 16);
                case "--subscribers" -> {
                    List<Integer> counts = new ArrayList<>();
                    for (String n : value(args, ++i, a).split(",")) {
                        counts.add(wholeNumber(n.trim(), a, 1, 20_000));
                    }
                    sweep = List.copyOf(counts);
                }
                case "--soak" -> soak = duration(value(args, ++i, a), a);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (quick && !named) {
            scenarios.removeAll(FULL_RUN_ONLY);
        }
        int reps = repeat != null ? repeat : quick ? 1 : 2;
        return new Options(quick, micro, List.copyOf(jmh), Set.copyOf(scenarios), Set.copyOf(targets), dist,
                           javaOpts, fsyncs.getFirst(), out, reps, client, readers, sweep, soak, fsyncs);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    boolean measures(String target) {
        return targets.contains(target);
    }

    /** {@code 10m}, {@code 90s}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
    static java.time.Duration duration(String text, String option) {
        try {
            if (text.startsWith("PT") || text.startsWith("pt")) {
                return java.time.Duration.parse(text);
            }
            long n = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " takes a duration such as 10m, 90s or 1h, not " + text);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int wholeNumber(String value, String option, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(option + " takes a whole number from " + min + " to " + max);
    }

    private static Set<String> names(String list, List<String> known, String option) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException(option + ": unknown name " + name + " (known: "
                                                           + String.join(",", known) + ")");
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one name");
        }
        return out;
    }
}
