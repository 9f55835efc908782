package io.alerthub.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test against the shared broker. Before each test: a topic prefix of the test's own ({@code <root>/<random>}, as
 * the broker may be shared), a subscriber to a filter under it, and a hub whose MQTT plugin publishes to
 * {@code <prefix>/characteristic/{characteristic_id}/{type}} and is UP. Both are closed after the test.
 */
abstract class HubOnSharedBrokerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final String prefixRoot;
    private final String subscription;

    @TempDir
    Path dir;
    TestBroker broker;
    String prefix;
    TestSubscriber subscriber;
    HubHarness hub;

    /**
     * @param prefixRoot   the first level of the topic prefix
     * @param subscription the subscriber's topic filter under the prefix ({@code /#}: everything)
     */
    HubOnSharedBrokerTest(String prefixRoot, String subscription) {
        this.prefixRoot = prefixRoot;
        this.subscription = subscription;
    }

    /** Further keys of {@code plugins.mqtt} (YAML lines), for this test's {@code prefix}. */
    abstract String mqtt(String prefix);

    @BeforeEach
    void startSubscriberAndHub() throws Exception {
        broker = Brokers.shared();
        prefix = prefixRoot + "/" + UUID.randomUUID();
        subscriber = TestSubscriber.open(broker.uri(), prefix + subscription);
        hub = HubHarness.startConnected(dir, broker.uri(), """
                topic-template: "%s/characteristic/{characteristic_id}/{type}"
                """.formatted(prefix) + mqtt(prefix).stripIndent(), WAIT);
    }

    @AfterEach
    void stopHubAndSubscriber() {
        if (hub != null) {
            hub.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
