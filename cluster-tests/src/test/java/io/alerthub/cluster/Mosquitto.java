package io.alerthub.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.testing.Ports;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Mosquitto broker of the test's own on a free loopback port (the machine's local Mosquitto binary), so the counts
 * a test makes are its own. Where Mosquitto is not installed the test is skipped, saying why.
 */
final class Mosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;
    private final Process process;

    private Mosquitto(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static Mosquitto start(Path dir) {
        assumeTrue(Files.isExecutable(BINARY), "Mosquitto is not installed (" + BINARY + "): the cluster's MQTT"
                + " tests need it (Debian's mosquitto package; .ci/run installs it)");
        int port = Ports.free();
        try {
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                lines.add("user root"); // as root it would switch to the mosquitto user, who cannot write here
            }
            lines.add("listener " + port + " 127.0.0.1");
            lines.add("allow_anonymous true");
            lines.add("persistence false");
            lines.add("max_queued_messages 0");
            lines.add("log_dest file " + dir.resolve("mosquitto.log"));
            Path conf = dir.resolve("mosquitto.conf");
            Files.write(conf, lines);
            Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
            await("mosquitto on " + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Ports.listening(port));
            return new Mosquitto(port, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
