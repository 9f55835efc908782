package io.alerthub.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Health;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a strict broker refuses. Failures that do not heal by themselves (credentials, certificates) make the
 * plugin DOWN with a reason that says what to fix, while the hub stays up and keeps taking events; an event larger
 * than the broker's packet limit fails alone. The broker checks users, serves TLS (and requires a client
 * certificate there) and limits packets to {@value #MAX_PACKET} bytes.
 */
class BrokerRefusalTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "hub";
    private static final String PASSWORD = "right-password";
    private static final int MAX_PACKET = 2048;

    @TempDir
    static Path dir;
    private static TestBroker broker;
    private static TestCertificates.Server brokerCert;
    private static TestCertificates.Server hubCert;
    private static Path strangerTrust;

    @BeforeAll
    static void startBroker() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        brokerCert = TestCertificates.server(dir.resolve("certs"), "broker");
        hubCert = TestCertificates.server(dir.resolve("certs"), "hub");
        strangerTrust = TestCertificates.trustStore(dir.resolve("certs"), "stranger",
                                                    TestCertificates.server(dir.resolve("certs"), "stranger"));
        broker = Brokers.owned(dir.resolve("broker"), BrokerOptions.plain()
                .withUsers(Map.of(USER, PASSWORD, "sub", "sub-pw")).withTls(brokerCert).withMaxPacketSize(MAX_PACKET)
                .withClientCertificates(hubCert));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static HubHarness hub(String name, String mqtt) {
        return HubHarness.start(dir.resolve(name + "-" + UUID.randomUUID()), mqtt + """
                reconnect-min-delay: 100ms
                reconnect-max-delay: 1s
                """);
    }

    private static void assertHubStillServes(HubHarness hub) {
        long seq = hub.post("{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{}}");
        assertTrue(seq > 0);
        assertEquals(200, hub.send("GET", "/api/v1/plugins", null).statusCode());
        assertEquals(503, hub.send("GET", "/observe/health", null).statusCode(),
                     "readiness reports the plugin that is down");
    }

    @Test
    void wrongPasswordIsDownAndSaysSo() {
        try (HubHarness hub = hub("bad-password", """
                broker-uri: %s
                username: %s
                password: not-the-password
                """.formatted(broker.uri(), USER))) {
            PluginStatus down = hub.awaitState(Health.State.DOWN, WAIT);
            assertTrue(down.reason().contains("refused the login of user 'hub'"), down.reason());
            assertFalse(down.reason().contains("not-the-password"), "never the password: " + down.reason());
            assertHubStillServes(hub);
            assertTrue(hub.mqtt().lag() > 0, "the event waits at the cursor");
        }
    }

    @Test
    void noCredentialsWhereTheBrokerWantsThemIsDown() {
        try (HubHarness hub = hub("anonymous", "broker-uri: " + broker.uri() + "\n")) {
            PluginStatus down = hub.awaitState(Health.State.DOWN, WAIT);
            assertTrue(down.reason().contains("refused"), down.reason());
            assertTrue(down.reason().contains("no username configured"), down.reason());
            assertHubStillServes(hub);
        }
    }

    @Test
    void untrustedBrokerCertificateIsDown() {
        try (HubHarness hub = hub("stranger-trust", """
                broker-uri: %s
                username: %s
                password: %s
                trust-store: %s
                trust-store-password: %s
                """.formatted(broker.tlsUri(), USER, PASSWORD, strangerTrust, TestCertificates.PASSWORD))) {
            PluginStatus down = hub.awaitState(Health.State.DOWN, WAIT);
            assertTrue(down.reason().contains("TLS handshake with " + broker.tlsUri() + " failed"), down.reason());
            assertTrue(down.reason().contains("not trusted"), down.reason());
            assertHubStillServes(hub);
        }
    }

    @Test
    void unreadableTrustStoreIsDown() {
        try (HubHarness hub = hub("missing-trust", """
                broker-uri: %s
                trust-store: %s
                """.formatted(broker.tlsUri(), dir.resolve("no-such-file.p12")))) {
            PluginStatus down = hub.awaitState(Health.State.DOWN, WAIT);
            assertTrue(down.reason().contains("trust-store " + dir.resolve("no-such-file.p12")), down.reason());
            assertHubStillServes(hub);
        }
    }

    @Test
    void trustedBrokerOverMutualTlsWithCredentialsPublishes() throws Exception {
        String prefix = "tls/" + UUID.randomUUID();
        try (TestSubscriber subscriber = TestSubscriber.open(broker.uri(), prefix + "/#", "sub", "sub-pw");
             HubHarness hub = hub("trusted", """
                     broker-uri: %s
                     username: %s
                     password: %s
                     trust-store: %s
                     key-store: %s
                     key-store-password: %s
                     topic-template: "%s/{characteristic_id}/{type}"
                     """.formatted(broker.tlsUri(), USER, PASSWORD, brokerCert.certPem(), hubCert.pkcs12(),
                                   TestCertificates.PASSWORD, prefix))) {
            hub.awaitState(Health.State.UP, WAIT);
            long seq = hub.post("{\"type\":\"violation\",\"characteristic_id\":3,\"payload\":{}}");
            TestSubscriber.Received r = subscriber.await(1, WAIT).getFirst();
            assertEquals(seq, r.seq());
            assertEquals(prefix + "/3/violation", r.topic());
        }
    }

    /**
     * Sent anyway, an event over the broker's Maximum Packet Size would make it drop the connection, and every
     * reconnect would send it again: it fails alone, the connection stays up and the events after it go out.
     */
    @Test
    void anEventLargerThanTheBrokersPacketLimitFailsAloneAndTheRestGoesOut() throws Exception {
        String prefix = "limits/" + UUID.randomUUID();
        try (TestSubscriber subscriber = TestSubscriber.open(broker.uri(), prefix + "/#", "sub", "sub-pw");
             HubHarness hub = hub("limits", """
                     broker-uri: %s
                     username: %s
                     password: %s
                     topic-template: "%s/{characteristic_id}/{type}"
                     """.formatted(broker.uri(), USER, PASSWORD, prefix))) {
            hub.awaitState(Health.State.UP, WAIT);
            String big = "x".repeat(2 * MAX_PACKET);
            List<Long> seqs = hub.post(List.of(
                    "{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{}}",
                    "{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{\"note\":\"" + big + "\"}}",
                    "{\"type\":\"violation\",\"characteristic_id\":1,\"payload\":{}}"));

            List<TestSubscriber.Received> got = subscriber.await(2, WAIT);
            assertEquals(List.of(seqs.get(0), seqs.get(2)), got.stream().map(TestSubscriber.Received::seq).toList());
            await().atMost(WAIT).until(() -> hub.mqtt().lag() == 0 && hub.mqtt().failed() == 1);
            assertEquals(1L, hub.mqtt().details().get("publish_failures"));
            assertEquals(0L, hub.mqtt().details().get("reconnects"), "the connection never dropped");
            assertEquals(Health.State.UP, hub.mqtt().state());
        }
    }
}
