package io.alerthub.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes, rates, subscription counts, origins and the connection limit, against a running hub. */
class LimitsTest {

    @RegisterExtension
    static final TestHub hub = TestHub.perClass(
            "max-message-bytes: 1024, rate-limit: { messages-per-second: 5, burst: 10 },"
                    + " max-subscriptions: 3, max-connections: 3, allowed-origins: [\"https://dash.example.com\"]");

    @Test
    void aMessageOverTheLimitClosesWith1009() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1100) + "\"}");
            assertEquals(new WsClient.Close(1009, "message too big"), c.awaitClose());
        }
    }

    @Test
    void aMessageOverTheLimitInFragmentsClosesWith1009() throws Exception {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            try (RawWsClient raw = RawWsClient.connect(hub.port(), "/ws", 0)) {
                assertEquals("welcome", TestHub.parse(raw.readFrame().text()).get("type").asText());
                byte[] part = ("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(600)).getBytes(StandardCharsets.UTF_8);
                raw.sendFrame(0x1, part, false);
                raw.sendFrame(0x0, "x".repeat(600).getBytes(StandardCharsets.UTF_8), true);
                RawWsClient.Frame close = raw.readFrame();
                assertEquals(0x8, close.opcode());
                assertEquals(1009, close.closeCode());
            }
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().get("type").asText(), "other clients are not affected");
        }
    }

    @Test
    void aFrameBeyondTheServersFrameLimitIsRefusedBeforeItIsRead() throws IOException {
        try (RawWsClient raw = RawWsClient.connect(hub.port(), "/ws", 0)) {
            assertEquals("welcome", TestHub.parse(raw.readFrame().text()).get("type").asText());
            // A header announcing 2 MiB, then only a few bytes: Helidon refuses on the header (1009).
            raw.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4});
            RawWsClient.Frame f = raw.readFrame();
            while (f.opcode() != 0x8) {
                f = raw.readFrame();
            }
            assertEquals(1009, f.closeCode());
        }
    }

    @Test
    void badMessagesGetAnErrorAndTheConnectionStaysOpen() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{not json");
            assertError(c.next(), "invalid_json");
            c.send("[1,2]");
            assertError(c.next(), "invalid_message");
            c.send("{\"no\":\"type\"}");
            assertError(c.next(), "invalid_message");
            c.send("{\"type\":\"subscribe\",\"topics\":[\"not a topic\"]}");
            assertError(c.next(), "invalid_subscription");
            c.send("{\"type\":\"ack\",\"seq\":\"x\"}");
            assertError(c.next(), "invalid_message");
            c.sendBinary(new byte[] {1, 2, 3});
            assertError(c.next(), "unsupported_binary");
            c.send("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().get("type").asText());
        }
    }

    @Test
    void subscriptionsPerConnectionAreLimited() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            c.send("{\"type\":\"subscribe\",\"characteristic_ids\":[1,2],\"events\":[\"alert.*\"]}");
            c.next("subscribed");
            c.send("{\"type\":\"subscribe\",\"topics\":[\"line:1\"]}");
            JsonNode error = c.next();
            assertError(error, "too_many_subscriptions");
            c.send("{\"type\":\"unsubscribe\",\"characteristic_ids\":[2]}");
            assertEquals(TestHub.parse("""
                    {"type":"subscribed","characteristic_ids":[1],"topics":[],"events":["alert.*"]}"""), c.next(),
                         "the refused subscribe changed nothing");
        }
        WsClient.Refused refused = WsClient.refused(hub.ws("/ws?characteristic_ids=1,2,3,4"), Map.of());
        assertEquals(400, refused.status());
        assertEquals("invalid_request", TestHub.parse(refused.body()).get("error").get("code").asText());
    }

    @Test
    void aClientSendingFasterThanTheRateLimitIsClosed() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
            for (int i = 0; i < 40 && !c.isClosed(); i++) {
                c.send("{\"type\":\"ping\"}");
            }
            assertEquals(new WsClient.Close(1008, "rate limit"), c.awaitClose());
            List<JsonNode> pongs = c.pending();
            assertTrue(pongs.size() <= 11, "about a burst of pongs before the close: " + pongs.size());
        }
    }

    @ParameterizedTest(name = "origin {0} -> {1}")
    @CsvSource({"https://dash.example.com, 101", "https://DASH.example.com, 101", "https://evil.example.com, 403",
                "null, 403"})
    void onlyAllowedOriginsMayConnect(String origin, int status) {
        Map<String, String> headers = Map.of("Origin", origin);
        if (status == 101) {
            try (WsClient c = WsClient.connect(hub.ws("/ws"), headers)) {
                c.next("welcome");
            }
        } else {
            WsClient.Refused refused = WsClient.refused(hub.ws("/ws"), headers);
            assertEquals(status, refused.status());
            assertEquals("origin_not_allowed", TestHub.parse(refused.body()).get("error").get("code").asText());
        }
    }

    @Test
    void aClientWithoutOriginIsNotABrowserAndMayConnect() {
        try (WsClient c = WsClient.connect(hub.ws("/ws"))) {
            c.next("welcome");
        }
    }

    @Test
    void beyondMaxConnectionsTheUpgradeIsRefusedWith503() {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient c = WsClient.connect(hub.ws("/ws"));
                c.next("welcome");
                open.add(c);
            }
            WsClient.Refused refused = WsClient.refused(hub.ws("/ws"), Map.of());
            assertEquals(503, refused.status());
            assertEquals("too_many_connections", TestHub.parse(refused.body()).get("error").get("code").asText());
            assertEquals(List.of("5"), refused.headers().get("retry-after"));
            assertEquals("DEGRADED", pluginState());

            open.removeFirst().close();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.connections() == 2);
            WsClient again = WsClient.connect(hub.ws("/ws"));
            open.add(again);
            again.next("welcome");
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void aBadQueryIsRefusedWith400() {
        for (String query : List.of("since=abc", "since=-1", "topics=not%20a%20topic", "events=Bad.*",
                                    "characteristic_ids=a%20b")) {
            WsClient.Refused refused = WsClient.refused(hub.ws("/ws?" + query), Map.of());
            assertEquals(400, refused.status(), query);
            assertEquals("invalid_request", TestHub.parse(refused.body()).get("error").get("code").asText(), query);
        }
    }

    private static String pluginState() {
        return hub.plugin().get("state").asText();
    }

    private static void assertError(JsonNode message, String code) {
        assertEquals("error", message.get("type").asText(), message.toString());
        assertEquals(code, message.get("code").asText(), message.toString());
        assertTrue(message.get("message").asText().length() > 5, message.toString());
    }
}
