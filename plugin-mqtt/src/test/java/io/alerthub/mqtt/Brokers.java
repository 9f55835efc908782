package io.alerthub.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which broker a test gets. The machine's Mosquitto (127.0.0.1:1883) when it is reachable and a private
 * {@code mosquitto} process when the binary is installed; otherwise HiveMQ embedded in this JVM, so the suite
 * passes on a machine with no broker at all. {@code -Dalerthub.test.broker=embedded} (or the environment variable
 * {@code ALERTHUB_TEST_BROKER=embedded}) uses HiveMQ everywhere, to check that path on a machine that has
 * Mosquitto.
 */
final class Brokers {

    private static final boolean EMBEDDED_ONLY = "embedded".equalsIgnoreCase(
            System.getProperty("alerthub.test.broker", System.getenv().getOrDefault("ALERTHUB_TEST_BROKER", "")));
    private static TestBroker shared;

    private Brokers() {
    }

    /** A running broker for tests that never stop it; topics must be unique per test (it may be shared). */
    static synchronized TestBroker shared() {
        if (shared == null) {
            if (!EMBEDDED_ONLY && OwnedBroker.accepts(1883)) {
                shared = new ExternalBroker("tcp://127.0.0.1:1883");
            } else {
                try {
                    Path dir = Files.createTempDirectory("alerthub-mqtt-broker");
                    TestBroker embedded = new EmbeddedBroker(dir, BrokerOptions.plain());
                    Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
                    shared = embedded;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return shared;
    }

    /** A broker of the test's own, which it may stop and start; closed by the test. */
    static TestBroker owned(Path dir, BrokerOptions options) {
        if (!EMBEDDED_ONLY && Files.isExecutable(MosquittoBroker.BINARY)) {
            return new MosquittoBroker(dir, options);
        }
        return new EmbeddedBroker(dir, options);
    }
}
