package io.alerthub.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Node.js {@code ws} client (the bench's peer dependency, bench/package.json) against the hub with
 * permessage-deflate on: it negotiates the extension, compresses its own messages (threshold 0, so even a subscribe
 * goes compressed) and reads the hub's compressed events. Needs {@code node} and {@code npm} (Debian's {@code nodejs}
 * and {@code npm}); the first run installs {@code ws} into bench/node_modules with {@code npm ci}.
 */
class NodeWsClientTest {

    private static final Path BENCH = Path.of("..", "bench").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void nodesWsClientAgreesOnPermessageDeflateBothWays() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "Node.js ws client test did not run: node or npm is not installed");
        ensureWsInstalled();
        Path script = Files.writeString(dir.resolve("client.js"), """
                const WebSocket = require(process.argv[2] + '/node_modules/ws');
                const ws = new WebSocket(process.argv[3], { perMessageDeflate: { threshold: 0 } });
                ws.on('message', data => {
                  const m = JSON.parse(data);
                  if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'subscribe', characteristic_ids: [7] }));
                  else if (m.type === 'subscribed') console.log('subscribed');
                  else if (m.type === 'sample') {
                    console.log(JSON.stringify({ extensions: ws.extensions, value: m.payload.sample.value }));
                    ws.close();
                  }
                });
                ws.on('error', e => { console.log('error ' + e.message); process.exit(1); });
                """);
        try (TestHub hub = TestHub.start(dir.resolve("data"), "permessage-deflate: true")) {
            Process node = new ProcessBuilder("node", script.toString(), BENCH.toString(),
                                              hub.ws("/ws").toString()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                                                                               StandardCharsets.UTF_8))) {
                assertEquals("subscribed", out.readLine(), "the compressed subscribe was read");
                hub.publishOne("{\"type\":\"sample\",\"characteristic_id\":7,\"payload\":{\"sample\":{\"value\":3.5}}}");
                JsonNode result = TestHub.parse(out.readLine());
                assertTrue(result.get("extensions").toString().contains("permessage-deflate"), result.toString());
                assertEquals(3.5, result.get("value").asDouble());
                assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node exits after the close");
            } finally {
                node.destroyForcibly();
            }
        }
    }

    private static void ensureWsInstalled() throws IOException, InterruptedException {
        if (Files.isRegularFile(BENCH.resolve("node_modules/ws/package.json"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(BENCH.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm ci in bench/ failed: " + output);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
