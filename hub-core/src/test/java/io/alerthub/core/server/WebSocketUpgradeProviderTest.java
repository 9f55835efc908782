package io.alerthub.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the WebSocket plugin relies on in Helidon's upgrade, checked on a bare Helidon server with the hub's
 * {@link WebSocketUpgradeProvider} (found by Helidon through {@code META-INF/services}): a browser from another
 * origin is upgraded (the plugin's {@code allowed-origins} decides, not Helidon), and an upgrade the listener refuses
 * goes on through the HTTP routing, where a GET route on the same path answers it. If a Helidon upgrade changes
 * either, this fails before any plugin test does.
 */
class WebSocketUpgradeProviderTest {

    private static WebServer server;

    @BeforeAll
    static void start() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(HttpRouting.builder()
                                 .get("/ws", (req, res) -> res.status(Status.create(409)).send("answered by the route")))
                .addRouting(WsRouting.builder().endpoint("/ws", Listener::new))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aBrowserFromAnotherOriginIsUpgraded() throws IOException {
        assertEquals("HTTP/1.1 101 Switching Protocols", handshake("/ws", "https://dashboards.plant.example"));
    }

    @Test
    void anUpgradeTheListenerRefusesReachesTheHttpRoute() throws IOException {
        assertEquals("HTTP/1.1 409 Conflict", handshake("/ws?refuse=1", "https://dashboards.plant.example"));
    }

    /** Sends a WebSocket handshake and returns the response's status line. */
    private static String handshake(String path, String origin) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: " + origin + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** Refuses upgrades that ask {@code ?refuse=1}, accepts the others. */
    private static final class Listener implements WsListener {
        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            if (prologue.query().contains("refuse")) {
                throw new WsUpgradeException("refused by the listener");
            }
            return Optional.empty();
        }
    }
}
