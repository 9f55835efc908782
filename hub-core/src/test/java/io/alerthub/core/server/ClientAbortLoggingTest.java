package io.alerthub.core.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.alerthub.core.testing.TestHub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that drop in the middle of a request are part of normal operation: they cost the log one line at the most
 * (rate-limited), never a stack trace each (9,000 aborts made ~153,000 lines).
 */
class ClientAbortLoggingTest {

    private static final int ABORTS = 200;

    /** The same as an operator sees it: a hub process, its console. */
    @Test
    void aHubProcessLogsNoStackTraceForDroppedClients(@TempDir Path dir) throws Exception {
        Path config = java.nio.file.Files.writeString(dir.resolve("hub.yaml"), """
                server:
                  port: 0
                hub:
                  data-dir: "%s"
                """.formatted(dir.resolve("data")));
        io.alerthub.core.testing.HubProcess process = io.alerthub.core.testing.HubProcess.start(config);
        try {
            int port = process.port();
            abort(port);
            io.alerthub.core.testing.HubClient client = new io.alerthub.core.testing.HubClient(port, null, null);
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> client.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}").statusCode() == 202);
        } finally {
            process.terminate(Duration.ofSeconds(30));
        }
        String output = process.output();
        int from = Math.max(0, output.indexOf("listening on"));
        int to = output.indexOf("stopping", from);
        String during = output.substring(from, to < 0 ? output.length() : to);
        List<String> lines = during.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("at ")), "stack traces:\n" + during);
        assertTrue(lines.size() <= 12, lines.size() + " lines for " + ABORTS + " dropped clients:\n" + during);
    }

    @Test
    void clientsDroppingMidRequestLogAtMostALineWithoutStackTraces(@TempDir Path dir) throws Exception {
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    synchronized (records) {
                        records.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (TestHub hub = TestHub.start(dir, "")) {
            Logger.getLogger("").addHandler(h);
            try {
                abort(hub.port());
                // the hub is still fine, and had time to log whatever it logs about them
                await().atMost(Duration.ofSeconds(10)).until(
                        () -> hub.post("/api/v1/events", "{\"type\":\"sample\",\"payload\":{}}").statusCode() == 202);
            } finally {
                Logger.getLogger("").removeHandler(h);
            }
        }
        synchronized (records) {
            List<String> withTraces = new ArrayList<>();
            int lines = 0;
            for (LogRecord r : records) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("io.alerthub.core.Hub")) {
                    continue;
                }
                lines++;
                if (r.getThrown() != null) {
                    withTraces.add(r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown());
                }
            }
            assertEquals(List.of(), withTraces, "stack traces for dropped clients");
            assertTrue(lines <= 3, lines + " lines for " + ABORTS + " dropped clients: " + describe(records));
        }
    }

    /** Clients that reset their connection in the middle of a request: of a body, a chunk, before the answer. */
    private static void abort(int port) throws IOException {
        String post = "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        String[] requests = {
            post + "Content-Length: 1000\r\n\r\n{\"type\":\"sam",
            post + "Transfer-Encoding: chunked\r\n\r\n100\r\n{\"type\":\"sam",
            post + "Content-Length: 37\r\n\r\n{\"type\":\"sample\",\"payload\":{\"a\":1}}",
            "POST /api/v1/violations/7/ack HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 500\r\n\r\n{\"user\":",
            "GET /api/v1/events?since=0&limit=1000 HTTP/1.1\r\nHost: x\r\n\r\n"};
        for (int i = 0; i < ABORTS; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                OutputStream out = s.getOutputStream();
                out.write(requests[i % requests.length].getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoLinger(true, 0); // a reset, as a client that crashes
            }
        }
    }

    private static String describe(List<LogRecord> records) {
        StringBuilder b = new StringBuilder();
        for (LogRecord r : records.subList(0, Math.min(5, records.size()))) {
            b.append("\n  ").append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage());
        }
        return b.toString();
    }
}
