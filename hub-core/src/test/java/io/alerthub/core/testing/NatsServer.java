package io.alerthub.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@code nats-server -js} process of the test's own (a test that stops, restarts or kills the engine), or one node of
 * a cluster of them on loopback ports. The binary is the one the machine runs as its shared server (Debian's
 * {@code nats-server}); where it is missing the test is skipped, saying why ({@code .ci/run} installs it).
 *
 * <p>{@link #shared()} is the NATS a test may share with others (the machine's, at 127.0.0.1:4222), with names of its
 * own: when nothing listens there, one private server is started for the whole test JVM.
 */
public final class NatsServer implements AutoCloseable {

    public static final String SHARED_URL = "nats://127.0.0.1:4222";
    private static final Duration READY = Duration.ofSeconds(30);
    private static volatile String shared;

    private final Path storeDir;
    private final int port;
    private final List<String> extraArgs;
    private final Consumer<Options.Builder> client;
    private Process process;

    private NatsServer(Path storeDir, int port, List<String> extraArgs, Consumer<Options.Builder> client) {
        this.storeDir = storeDir;
        this.port = port;
        this.extraArgs = extraArgs;
        this.client = client;
    }

    /** The {@code nats-server} binary: on the PATH, or Debian's. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "nats-server");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        Path debian = Path.of("/usr/sbin/nats-server");
        return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
    }

    /** Skips the calling test, saying why, when there is no {@code nats-server} to start. */
    public static void assumeInstalled() {
        assumeTrue(binary().isPresent(), "nats-server is not installed (not on the PATH, no /usr/sbin/nats-server):"
                + " cluster tests need it (Debian's nats-server package; .ci/run installs it)");
    }

    /** Starts a single server with JetStream, its store in {@code storeDir}. */
    public static NatsServer start(Path storeDir) {
        return start(storeDir, List.of(), b -> { });
    }

    /**
     * Starts a single server with JetStream and more options ({@code --auth T}, {@code --tls ...}).
     *
     * @param client how a client of this server connects (its token, user or TLS), for the readiness check
     */
    public static NatsServer start(Path storeDir, List<String> extraArgs, Consumer<Options.Builder> client) {
        assumeInstalled();
        NatsServer s = new NatsServer(storeDir, Ports.free(), extraArgs, client);
        s.start();
        return s;
    }

    /**
     * Starts {@code nodes} servers clustered over loopback routes (JetStream clustered: a stream may have up to
     * {@code nodes} replicas), and waits until JetStream answers on each.
     */
    public static List<NatsServer> startCluster(Path dir, int nodes) {
        assumeInstalled();
        int[] clientPorts = new int[nodes];
        int[] routePorts = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            clientPorts[i] = Ports.free();
            routePorts[i] = Ports.free();
        }
        List<NatsServer> servers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            List<String> routes = new ArrayList<>();
            for (int j = 0; j < nodes; j++) {
                if (j != i) {
                    routes.add("nats://127.0.0.1:" + routePorts[j]);
                }
            }
            servers.add(new NatsServer(dir.resolve("n" + i), clientPorts[i],
                                       List.of("-n", "n" + i, "--cluster_name", "alerthub-test",
                                               "--cluster", "nats://127.0.0.1:" + routePorts[i],
                                               "--routes", String.join(",", routes)), b -> { }));
        }
        try {
            for (NatsServer s : servers) {
                s.startProcess();
            }
            for (NatsServer s : servers) {
                s.awaitJetStream();
            }
        } catch (RuntimeException e) {
            servers.forEach(NatsServer::close);
            throw e;
        }
        return servers;
    }

    /** The NATS for tests that need no engine of their own: the machine's, or else one for this JVM. */
    public static synchronized String shared() {
        if (shared == null) {
            if (Ports.listening(4222)) {
                shared = SHARED_URL;
            } else {
                try {
                    Path dir = Files.createTempDirectory("alerthub-nats-");
                    NatsServer s = start(dir);
                    Runtime.getRuntime().addShutdownHook(new Thread(s::close));
                    shared = s.url();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return shared;
    }

    /** The URLs of servers, comma-separated as {@code cluster.nats-urls} takes them. */
    public static String urls(List<NatsServer> servers) {
        return String.join(",", servers.stream().map(NatsServer::url).toList());
    }

    /** Deletes a stream and the cluster's KV bucket named after it, if they exist. */
    public static void deleteStream(String url, String stream) {
        try (Connection c = Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2))
                                                 .maxReconnects(3).build())) {
            JetStreamManagement jsm = c.jetStreamManagement();
            for (String name : List.of(stream, "KV_" + stream + "_CLUSTER")) {
                try {
                    jsm.deleteStream(name);
                } catch (JetStreamApiException e) {
                    // not there
                }
            }
        } catch (IOException e) {
            // the server is gone with its streams
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, after {@link #stop()} or {@link #kill()}: same port, same store). */
    public void start() {
        startProcess();
        awaitJetStream();
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(binary().orElseThrow().toString(), "-js", "-a", "127.0.0.1",
                                                       "-p", Integer.toString(port), "-sd", storeDir.toString()));
        command.addAll(extraArgs);
        try {
            Files.createDirectories(storeDir);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(storeDir.resolveSibling(storeDir.getFileName() + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nats-server", e);
        }
        await("nats-server listening on " + port).atMost(READY).pollInterval(Duration.ofMillis(50))
                .until(() -> Ports.listening(port));
    }

    /** Waits until JetStream answers (a clustered one has elected its meta leader). */
    private void awaitJetStream() {
        await("JetStream ready on " + port).atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> {
            Options.Builder options = new Options.Builder().server(url()).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(1));
            client.accept(options);
            try (Connection c = Nats.connect(options.build())) {
                c.jetStreamManagement().getAccountStatistics();
                return true;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                return false;
            }
        });
    }

    /** SIGTERM, then waits for the process to end. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    /** SIGKILL: no goodbye to clients or to the other nodes. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
