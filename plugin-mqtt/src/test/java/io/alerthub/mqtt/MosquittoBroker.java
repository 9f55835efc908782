package io.alerthub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A Mosquitto process of the test's own, on free ports, with persistence in the test's folder (so sessions and
 * queued messages survive {@link #stop()} / {@link #start()}, as on a production broker).
 */
final class MosquittoBroker extends OwnedBroker {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

    private final Path dir;
    private final Path config;
    private Process process;

    MosquittoBroker(Path dir, BrokerOptions options) {
        super(options);
        this.dir = dir;
        this.config = dir.resolve("mosquitto.conf");
        try {
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // Mosquitto started as root would switch to the mosquitto user, which cannot write the test folder.
                lines.add("user root");
            }
            lines.add("persistence true");
            lines.add("persistence_location " + dir + "/");
            lines.add("log_dest file " + dir.resolve("mosquitto.log"));
            lines.add("log_type error");
            lines.add("log_type warning");
            lines.add("log_type notice");
            lines.add("log_type information");
            lines.add("connection_messages true");
            if (options.unlimitedQueues()) {
                lines.add("max_queued_messages 0");
            }
            if (options.maxPacketSize() > 0) {
                lines.add("max_packet_size " + options.maxPacketSize());
            }
            if (options.users().isEmpty()) {
                lines.add("allow_anonymous true");
            } else {
                lines.add("allow_anonymous false");
                lines.add("password_file " + passwords(options.users()));
            }
            lines.add("listener " + port + " 127.0.0.1");
            if (options.tls() != null) {
                lines.add("listener " + tlsPort + " 127.0.0.1");
                lines.add("certfile " + options.tls().certPem());
                lines.add("keyfile " + options.tls().keyPem());
                if (options.clientCa() != null) {
                    lines.add("cafile " + options.clientCa().certPem());
                    lines.add("require_certificate true");
                }
            }
            Files.write(config, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    private Path passwords(Map<String, String> users) throws IOException {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "");
        for (Map.Entry<String, String> u : users.entrySet()) {
            run(List.of(PASSWD.toString(), "-b", file.toString(), u.getKey(), u.getValue()));
        }
        return file;
    }

    private void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("passwd.log").toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(command + " failed: " + Files.readString(dir.resolve("passwd.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        await("mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("mosquitto exited with " + started.exitValue() + ": "
                                                                + Files.readString(dir.resolve("mosquitto.out")));
                    }
                    return accepts(port) && (tlsPort < 0 || accepts(tlsPort));
                });
    }

    /** SIGTERM: Mosquitto writes its persistence file and closes every connection. */
    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public String toString() {
        return "private mosquitto " + uri();
    }
}
