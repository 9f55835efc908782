package io.alerthub.core.log;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.alerthub.core.testing.HubClient;
import io.alerthub.core.testing.HubProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real full disk: a hub process whose data directory is a 20 MB tmpfs in a mount namespace of its own, 4 KB
 * segments; the test fills the tmpfs with a file, then frees it. Mounting needs root (and a sandbox that allows
 * {@code unshare -m}); where it is not allowed, this test says why in the build's output and runs the same scenario
 * with the failure injected into the log's file channel instead ({@link DiskFullTest}'s way).
 */
class DiskFullTmpfsTest {

    @Test
    void aFullTmpfsRefusesProducersAndTheHubRecoversWhenSpaceReturns(@TempDir Path dir) throws Exception {
        String why = tmpfsUnavailable(dir);
        if (why != null) {
            System.out.println("DiskFullTmpfsTest: no tmpfs here (" + why + "); the full disk is injected as an"
                                       + " IOException from the log's file channel instead");
            new DiskFullTest().refusedWhileFullBackByItselfAndNothingAcknowledgedLost(Files.createDirectory(
                    dir.resolve("injected")));
            return;
        }
        Path data = Files.createDirectory(dir.resolve("data"));
        Path config = Files.writeString(dir.resolve("hub.yaml"), """
                server:
                  port: 0
                hub:
                  data-dir: "%s"
                  log: { segment-bytes: 4096 }
                """.formatted(data));
        HubProcess hub = HubProcess.startOnTmpfs(config, data, 20);
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        java.util.Set<String> refusedIds = new java.util.HashSet<>();
        Path copy = Files.createDirectory(dir.resolve("copy"));
        try {
            HubClient client = hub.client();
            for (int i = 0; i < 50; i++) {
                String id = "before-" + i;
                acknowledged.put(id, client.publish(DiskFullTest.event(id, 200)).getFirst());
            }
            Path filler = hub.rootPath(data.resolve("filler"));
            fill(filler);
            // what still fits in the last pages is accepted; then the disk is full
            int refused = 0;
            for (int i = 0; i < 500 && refused == 0; i++) {
                String id = "while-full-" + i;
                HttpResponse<String> r = client.post("/api/v1/events", DiskFullTest.event(id, 200));
                if (r.statusCode() == 202) {
                    acknowledged.put(id, HubClient.json(r.body()).get("seq").get(0).asLong());
                } else {
                    assertEquals(507, r.statusCode(), r.body());
                    assertTrue(r.body().contains("storage_full"), r.body());
                    refusedIds.add(id);
                    refused++;
                }
            }
            assertEquals(1, refused, "the full tmpfs never refused a producer");
            assertEquals(503, client.get("/observe/health", null).statusCode(), "health says DOWN");
            assertEquals(200, client.get("/api/v1/plugins").statusCode(), "the hub stays up");

            Files.delete(filler);
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> client.post("/api/v1/events", DiskFullTest.event("probe", 10)).statusCode() == 202);
            acknowledged.remove("probe");
            for (int i = 0; i < 50; i++) {
                String id = "after-" + i;
                acknowledged.put(id, client.publish(DiskFullTest.event(id, 200)).getFirst());
            }
            assertEquals(200, client.get("/observe/health", null).statusCode(), "health is UP again");
            copyLog(hub.rootPath(data.resolve("log")), copy.resolve("log"));
        } finally {
            hub.kill(Duration.ofSeconds(30));
        }
        DiskFullTest.assertAllThere(copy, acknowledged, refusedIds::contains);
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }

    private static void copyLog(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** Why a private tmpfs cannot be mounted here, or null when it can. */
    private static String tmpfsUnavailable(Path dir) {
        try {
            Path probe = Files.createDirectory(dir.resolve("probe"));
            Process p = new ProcessBuilder("unshare", "-m", "/bin/sh", "-c",
                                           "mount -t tmpfs -o size=1m alerthub-probe \"$0\"", probe.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? null : "unshare -m and mount -t tmpfs failed: " + out;
        } catch (IOException e) {
            return "cannot run unshare: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
