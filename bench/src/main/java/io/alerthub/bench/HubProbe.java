package io.alerthub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark asks a running hub outside the load: its open WebSocket connections ({@code GET
 * /api/v1/plugins}), its heap in use ({@code /observe/metrics}), and a full GC ({@code jcmd GC.run}) so that a
 * memory figure is the live set and not garbage not yet collected.
 */
final class HubProbe {

    private static final Pattern CONNECTIONS = Pattern.compile("\"connections\":(\\d+)");
    private static final Pattern USED_HEAP = Pattern.compile("(?m)^memory_usedHeap_bytes\\{[^}]*} ([0-9.E+]+)");

    private final Server hub;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HubProbe(Server hub) {
        this.hub = hub;
    }

    /** Open WebSocket connections, as the plugin counts them; -1 when it cannot be read. */
    long connections() {
        String body = get("/api/v1/plugins");
        Matcher m = body == null ? null : CONNECTIONS.matcher(body);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Heap in use, in MB; -1 when it cannot be read. */
    double usedHeapMb() {
        String body = get("/observe/metrics");
        Matcher m = body == null ? null : USED_HEAP.matcher(body);
        return m != null && m.find() ? Double.parseDouble(m.group(1)) / 1048576.0 : -1;
    }

    /** Runs a full GC in the hub (the JDK's jcmd), then waits a moment for the memory to be returned. */
    void fullGc(Path java) {
        Path jcmd = java.resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(hub.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            TimeUnit.SECONDS.sleep(2);
        } catch (IOException e) {
            throw new BenchException("cannot run " + jcmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the hub has no open connection left, at most {@code max}; returns what is still open. */
    long awaitNoConnections(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long open = connections();
        while (open != 0 && System.nanoTime() - deadline < 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            open = connections();
        }
        return open;
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + Server.HOST + ":" + hub.port() + path)).timeout(Duration.ofSeconds(10))
                                                       .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
