package io.alerthub.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;

/**
 * {@code ./alerthub bench --cluster}: three hubs as one cluster on NATS JetStream, 1,000 WebSocket subscribers on
 * each, one publisher posting to the first at 100 events/s; and in the same run, alternating step by step, the
 * single hub with the same 3,000 subscribers. Every subscriber's publish-to-receive latency is recorded per instance
 * and for the whole cluster; what the engine hop costs is the difference.
 *
 * <p>The engine is the machine's NATS (127.0.0.1:4222) with a stream of the run's own, deleted at the end; where no
 * NATS listens there, a private {@code nats-server -js} on a free port.
 */
final class ClusterScenario {

    static final String SINGLE = "single hub";
    static final String CLUSTER = "cluster";
    static final String ALL = "all";
    static final int INSTANCES = 3;
    static final int SUBSCRIBERS_PER_INSTANCE = 1000;
    static final double RATE = 100;
    private static final String SHARED_NATS = "nats://127.0.0.1:4222";

    private final BenchContext ctx;
    private final Results results;
    private final Timing timing;

    ClusterScenario(BenchContext ctx, Results results, Timing timing) {
        this.ctx = ctx;
        this.results = results;
        this.timing = timing;
    }

    /** Why the scenario cannot run here, or {@code null}. */
    String missing() {
        if (listening(4222) || natsServer().isPresent()) {
            return null;
        }
        return "no NATS at 127.0.0.1:4222 and no nats-server binary to start one (Debian's nats-server package)";
    }

    void run() {
        Console.say("scenario cluster: " + INSTANCES + " hubs x " + SUBSCRIBERS_PER_INSTANCE + " subscribers, one"
                            + " publisher at " + Math.round(RATE) + " events/s to the first; the single hub with "
                            + INSTANCES * SUBSCRIBERS_PER_INSTANCE + " subscribers in the same run");
        ManagedProcess privateNats = null;
        String url = SHARED_NATS;
        if (!listening(4222)) {
            int port = MqttScenario.freePort();
            Path dir = ctx.tmp().resolve("nats");
            privateNats = ManagedProcess.startListening("nats", List.of(natsServer().orElseThrow().toString(), "-js",
                                                                         "-a", Server.HOST, "-p", Integer.toString(port),
                                                                         "-sd", dir.toString()),
                                                        dir.resolve("nats.log"), port, Duration.ofSeconds(20));
            url = "nats://127.0.0.1:" + port;
        }
        String stream = "BENCH_" + UUID.randomUUID().toString().substring(0, 8);
        List<Server> servers = new ArrayList<>();
        try {
            long enginePid = privateNats != null ? privateNats.pid() : sharedNatsPid().orElse(-1L);
            Server single = Server.alertHub(ctx, "alerthub-cluster-baseline", ctx.options().fsync(),
                                            Server.websocketPlugin());
            servers.add(single);
            List<Server> instances = new ArrayList<>();
            for (int i = 1; i <= INSTANCES; i++) {
                Server s = Server.alertHubInCluster(ctx, "alerthub-cluster-" + i, "AlertHub cluster " + i,
                                                    ctx.options().fsync(), Server.websocketPlugin(), url, stream,
                                                    "bench-" + i);
                servers.add(s);
                instances.add(s);
            }
            results.settings.put("cluster_engine", url + (privateNats != null ? " (private nats-server)"
                    : " (the machine's NATS)") + ", stream " + stream + ", 1 replica");
            measure(single, instances, enginePid);
        } finally {
            servers.forEach(Server::close);
            deleteStream(url, stream);
            if (privateNats != null) {
                privateNats.close();
            }
        }
    }

    /**
     * The 3 x 1,000 subscribers, where the fan-out fills the machine (300,000 deliveries/s, with the
     * generator); and in the full run first 3 x 100, where it does not, so the difference to the single hub is the
     * engine hop itself rather than three JVMs contending for two cores.
     */
    private void measure(Server single, List<Server> instances, long enginePid) {
        List<Integer> sizes = ctx.options().quick() ? List.of(SUBSCRIBERS_PER_INSTANCE)
                : List.of(100, SUBSCRIBERS_PER_INSTANCE);
        for (int perInstance : sizes) {
            Console.say("  " + INSTANCES + " x " + perInstance + " subscribers (single hub: " + INSTANCES * perInstance
                                + ")");
            measure(single, instances, enginePid, perInstance);
        }
    }

    private void measure(Server single, List<Server> instances, long enginePid, int perInstance) {
        int total = INSTANCES * perInstance;
        Rig baseline = Rig.open(single, ctx.options().wsClient(), ctx.options().readerThreads(), total, 1);
        ClusterRig cluster = null;
        try {
            cluster = ClusterRig.open(instances, ctx.options().wsClient(), ctx.options().readerThreads(),
                                      perInstance);
            baseline.step(RATE, timing.firstWarmup(), timing.drain());
            baseline.recover(Duration.ofSeconds(10));
            cluster.step(RATE, timing.firstWarmup(), timing.drain());
            cluster.recover();
            for (int rep = 1; rep <= ctx.options().repeat(); rep++) {
                Measurement m = baseline.step(RATE, timing.measure(), timing.drain());
                results.cluster.add(new Results.ClusterStep(SINGLE, ALL, rep, m, m.serverCpuPercent(), -1));
                Console.say("  single hub:          " + Console.line(m));
                baseline.recover(Duration.ofSeconds(10));

                ProcStats.Sample engineBefore = enginePid > 0 ? ProcStats.sample(enginePid) : null;
                List<Measurement> ms = cluster.step(RATE, timing.measure(), timing.drain());
                double engineCpu = engineBefore == null ? -1
                        : ProcStats.sample(enginePid).cpuPercentSince(engineBefore);
                double instancesCpu = 0;
                for (int i = 0; i < INSTANCES; i++) {
                    instancesCpu += ms.get(i).serverCpuPercent();
                }
                for (int i = 0; i < INSTANCES; i++) {
                    Measurement mi = ms.get(i);
                    results.cluster.add(new Results.ClusterStep(CLUSTER, instanceName(i), rep, mi, instancesCpu,
                                                                engineCpu));
                    Console.say("  cluster " + instanceName(i) + ": " + Console.line(mi));
                }
                Measurement all = ms.get(INSTANCES);
                results.cluster.add(new Results.ClusterStep(CLUSTER, ALL, rep, all, instancesCpu, engineCpu));
                Console.say("  cluster, all:        " + Console.line(all) + String.format(java.util.Locale.ROOT,
                        "; hubs %.0f%% CPU, NATS %.0f%%", instancesCpu, engineCpu));
                cluster.recover();
            }
        } finally {
            baseline.close();
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** {@code instance 1 (publisher's)}, {@code instance 2}, ... */
    static String instanceName(int index) {
        return "instance " + (index + 1) + (index == 0 ? " (publisher's)" : "");
    }

    /** The cluster's subscribers, a recorder per instance and one for all, and one publisher to the first. */
    private static final class ClusterRig implements AutoCloseable {
        private final List<Server> instances;
        private final List<WsSubscribers> pools;
        private final List<LoadStep.Group> groups;
        private final Topics topics;
        private final RatePublisher publisher;

        private ClusterRig(List<Server> instances, List<WsSubscribers> pools, List<LoadStep.Group> groups,
                           Topics topics, RatePublisher publisher) {
            this.instances = instances;
            this.pools = pools;
            this.groups = groups;
            this.topics = topics;
            this.publisher = publisher;
        }

        static ClusterRig open(List<Server> instances, WsSubscribers.ClientKind client, int readers, int each) {
            Topics topics = new Topics(1);
            LatencyRecorder all = new LatencyRecorder();
            List<WsSubscribers> pools = new ArrayList<>();
            List<LoadStep.Group> groups = new ArrayList<>();
            List<Subscriber> everyone = new ArrayList<>();
            try {
                for (Server s : instances) {
                    LatencyRecorder own = new LatencyRecorder(all);
                    WsSubscribers pool = WsSubscribers.open(s, client, readers, each, 1, own,
                                                            Duration.ofSeconds(30 + each / 100));
                    pools.add(pool);
                    groups.add(new LoadStep.Group(s, pool.subscribers(), own));
                    everyone.addAll(pool.subscribers());
                }
                // The whole cluster: every subscriber; the CPU it reports is the first instance's (the rows add them).
                groups.add(new LoadStep.Group(instances.getFirst(), everyone, all));
                RatePublisher publisher = new RatePublisher(() -> new PipelinedHttpSink(instances.getFirst()), topics,
                                                            1);
                return new ClusterRig(instances, pools, groups, topics, publisher);
            } catch (RuntimeException e) {
                pools.forEach(WsSubscribers::close);
                throw e;
            }
        }

        List<Measurement> step(double rate, Duration duration, Duration drain) {
            return LoadStep.run(groups, publisher, topics, rate, duration, drain);
        }

        /** Replaces subscribers an instance closed (a failed step), so that the next step starts whole. */
        void recover() {
            for (int i = 0; i < pools.size(); i++) {
                pools.get(i).reopenClosed(Duration.ofSeconds(30));
                if (!instances.get(i).alive()) {
                    throw new BenchException(instances.get(i).label() + " exited; see " + instances.get(i).log());
                }
            }
        }

        @Override
        public void close() {
            publisher.close();
            pools.forEach(WsSubscribers::close);
        }
    }

    private static void deleteStream(String url, String stream) {
        try (Connection c = Nats.connect(url)) {
            for (String name : List.of(stream, "KV_" + stream + "_CLUSTER")) {
                try {
                    c.jetStreamManagement().deleteStream(name);
                } catch (JetStreamApiException e) {
                    // not there
                }
            }
        } catch (IOException e) {
            Console.say("note: could not delete the bench's stream " + stream + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> natsServer() {
        return BenchContext.onPath("nats-server").or(() -> Optional.of(Path.of("/usr/sbin/nats-server"))
                .filter(Files::isExecutable));
    }

    /** The machine's nats-server process, for its CPU. */
    private static Optional<Long> sharedNatsPid() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.endsWith("nats-server")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Server.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
