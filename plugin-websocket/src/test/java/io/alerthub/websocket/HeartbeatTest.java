package io.alerthub.websocket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats with a short configured timeout: silent clients are closed (1001) and freed; live ones stay. */
class HeartbeatTest {

    @TempDir
    static Path dataDir;
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(dataDir, "heartbeat-interval: PT0.2S, heartbeat-timeout: PT1.5S, "
                + "openspc: { enabled: true }");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aSilentClientIsClosedWithHeartbeatTimeoutAndFreed() {
        long before = hub.details().get("heartbeat_closes").asLong();
        try (WsClient c = WsClient.connect(hub.ws("/ws?characteristic_ids=1"))) {
            c.next("subscribed");
            c.nextPing();
            assertEquals(new WsClient.Close(1001, "heartbeat timeout"), c.awaitClose());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals(0, hub.connections());
            assertEquals(0, hub.details().get("subscriptions").asInt());
            assertEquals(before + 1, hub.details().get("heartbeat_closes").asLong());
        });
        assertTrue(hub.metrics().contains("alerthub_websocket_closes_total{reason=\"heartbeat_timeout\""));
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() {
        try (WsClient c = WsClient.connect(hub.ws("/ws")).answeringPings()) {
            c.next("welcome");
            // 15 pings at 200 ms are 3 s: twice the 1.5 s timeout, kept alive by the pongs alone.
            await().atMost(Duration.ofSeconds(10)).until(() -> c.pingsReceived() >= 15);
            assertFalse(c.isClosed());
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().get("type").asText());
        }
    }

    @Test
    void openSpcClientsGetProtocolPingsAndAreClosedWhenTheyNeitherAnswerNorSpeak() throws IOException {
        try (RawWsClient raw = RawWsClient.connect(hub.port(), "/ws/samples", 0)) {
            // Only protocol pings (opcode 9) arrive, never a JSON message; no pong goes back.
            RawWsClient.Frame f = raw.readFrame();
            while (f.opcode() == 0x9) {
                f = raw.readFrame();
            }
            assertEquals(0x8, f.opcode(), "a close frame after the pings: " + f.text());
            assertEquals(1001, f.closeCode());
            assertEquals("heartbeat timeout", new String(f.payload(), 2, f.payload().length - 2,
                                                         java.nio.charset.StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.connections() == 0);
    }

    @Test
    void anOpenSpcBrowserLikeClientAnsweringProtocolPingsStaysOpen() {
        // The JDK client answers protocol pings by itself, as browsers do: OpenSPC's dashboard never sends a ping.
        try (WsClient c = WsClient.connect(hub.ws("/ws/samples"))) {
            c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[5]}");
            assertEquals("subscribed", c.next().get("type").asText());
            // 15 protocol pings at 200 ms are 3 s: twice the 1.5 s timeout.
            await().atMost(Duration.ofSeconds(10)).until(() -> c.protocolPingsReceived() >= 15 || c.isClosed());
            assertFalse(c.isClosed(), "closed although it answered every protocol ping");
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().get("type").asText());
        }
    }
}
