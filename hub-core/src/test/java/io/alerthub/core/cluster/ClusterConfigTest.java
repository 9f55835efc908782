package io.alerthub.core.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import io.alerthub.core.Hub;
import io.alerthub.core.config.HubConfig;
import io.alerthub.core.testing.ClusterYaml;
import io.alerthub.core.testing.NatsServer;
import io.alerthub.spi.ConfigException;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster instance that cannot reach its engine, or finds the stream with other settings than its configuration,
 * does not start, and says which key in one line.
 */
class ClusterConfigTest {

    @TempDir
    Path dir;
    private final String stream = ClusterYaml.privateStream("config");
    private final String url = NatsServer.shared();

    @AfterEach
    void drop() {
        NatsServer.deleteStream(url, stream);
    }

    private ConfigException refused(String urls, String hubYaml) {
        HubConfig config = HubConfig.fromYaml("server: { port: 0 }\nhub:\n  data-dir: \"" + dir + "\"\n" + hubYaml
                                                      + ClusterYaml.section(urls, stream, "a", Duration.ofSeconds(2)));
        return assertThrows(ConfigException.class, () -> Hub.start(config).close());
    }

    /** Creates the stream as someone else did, from the settings a hub would use, changed by {@code change}. */
    private void existing(UnaryOperator<StreamConfiguration.Builder> change)
            throws IOException, InterruptedException, JetStreamApiException {
        try (Connection c = Nats.connect(url)) {
            c.jetStreamManagement().addStream(change.apply(
                    StreamConfiguration.builder().name(stream).subjects("alerthub." + stream + ".events")
                            .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10))
                            .maxMessages(1_000_000).maxAge(Duration.ofDays(7))).build());
        }
    }

    @Test
    void anEngineThatDoesNotAnswerIsNamed() throws IOException {
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        ConfigException e = refused("nats://127.0.0.1:" + nobody, "");
        assertEquals("cluster.nats-urls", e.key());
        assertTrue(e.getMessage().contains("cannot reach"), e.getMessage());
    }

    @Test
    void aStreamWithAnotherDedupWindowNamesHubDedupWindow() throws Exception {
        existing(b -> b.duplicateWindow(Duration.ofMinutes(1)));
        ConfigException e = refused(url, "");
        assertEquals("hub.dedup-window", e.key());
        assertTrue(e.getMessage().contains("PT1M"), e.getMessage());
    }

    @Test
    void aStreamKeepingOtherLimitsNamesTheRetentionKey() throws Exception {
        existing(b -> b.maxMessages(500));
        assertEquals("hub.log.retention-events", refused(url, "").key());
    }

    @Test
    void aStreamInMemoryOrForOtherSubjectsIsNotOurs() throws Exception {
        existing(b -> b.storageType(StorageType.Memory));
        assertEquals("cluster.stream", refused(url, "").key());
        NatsServer.deleteStream(url, stream);
        existing(b -> b.subjects("orders." + stream));
        ConfigException e = refused(url, "");
        assertEquals("cluster.stream", e.key());
        assertTrue(e.getMessage().contains("not an AlertHub stream"), e.getMessage());
    }

    @Test
    void aStreamWithOtherReplicasNamesClusterReplicas() throws Exception {
        existing(b -> b);
        HubConfig config = HubConfig.fromYaml("server: { port: 0 }\nhub:\n  data-dir: \"" + dir + "\"\n"
                                                      + ClusterYaml.section(url, stream, "a", Duration.ofSeconds(2))
                                                      + "  replicas: 3\n");
        ConfigException replicas = assertThrows(ConfigException.class, () -> Hub.start(config).close());
        assertEquals("cluster.replicas", replicas.key());
        assertTrue(replicas.getMessage().contains("has 1 replicas, the configuration says 3"), replicas.getMessage());
    }
}
