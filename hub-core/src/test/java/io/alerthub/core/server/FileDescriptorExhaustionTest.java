package io.alerthub.core.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;
import io.alerthub.core.testing.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More connections than the process has file descriptors: a hub run with {@code ulimit -n 512} and twice as many
 * stalled clients (a request line and one header, then nothing, as slowloris sends). The connection limit keeps accept
 * below the limit (the rest wait in the backlog), the header timeout frees the places, and the listener is never lost:
 * health answers again while the process lives. Before, accept met EMFILE, Helidon's listener stopped for good
 * ("this server socket is terminating now: Too many open files") and the process lived on unreachable.
 */
class FileDescriptorExhaustionTest {

    private static final int FD_LIMIT = 512;

    @Test
    void theListenerOutlivesMoreConnectionsThanDescriptors(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, """
                server:
                  port: 0
                  header-timeout: PT2S
                hub:
                  data-dir: "%s"
                """.formatted(dir.resolve("data")));
        HubProcess process = HubProcess.startWithFdLimit(config, FD_LIMIT);
        List<RawHttp> stalled = new ArrayList<>();
        try {
            int port = process.port();
            for (int i = 0; i < 2 * FD_LIMIT; i++) {
                stalled.add(RawHttp.connect(port, Duration.ofSeconds(30))
                                    .send("GET /api/v1/plugins HTTP/1.1\r\nHost: x\r\n"));
            }
            HubClient client = new HubClient(port, null, Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> client.get("/observe/health").statusCode() == 200);
            assertTrue(process.alive(), "the hub died");
        } finally {
            stalled.forEach(RawHttp::close);
            process.terminate(Duration.ofSeconds(30));
        }
        String output = process.output();
        assertTrue(output.contains("file descriptors: limit " + FD_LIMIT), output);
        assertFalse(output.contains("Too many open files"), output);
        assertFalse(output.contains("terminating now"), output);
    }
}
