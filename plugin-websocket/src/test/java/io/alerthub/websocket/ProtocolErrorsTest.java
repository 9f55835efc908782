package io.alerthub.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that breaks the WebSocket protocol (RFC 6455) is answered with the close code the RFC names, as a close
 * frame: never a raw HTTP answer inside the WebSocket stream, never an echo of a code a client may not send.
 */
class ProtocolErrorsTest {

    @RegisterExtension
    static final TestHub hub = TestHub.perClass("");

    static Stream<Arguments> violations() {
        byte[] invalidUtf8 = {'{', '"', 0x61, (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] lonePing = new byte[126];
        return Stream.of(
                Arguments.of("a reserved opcode (3)", 1002, (Consumer<RawWsClient>) c -> c.sendFrame(0x3, new byte[0], true)),
                Arguments.of("a reserved control opcode (11)", 1002,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0xB, new byte[0], true)),
                Arguments.of("a reserved bit", 1002,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0x40 | 0x1, "{}".getBytes(), true)),
                Arguments.of("text that is not UTF-8 (overlong C0 AF)", 1007,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0x1, invalidUtf8, true)),
                Arguments.of("text whose UTF-8 is cut between fragments and never finished", 1007,
                             (Consumer<RawWsClient>) c -> {
                                 c.sendFrame(0x1, new byte[] {'"', (byte) 0xE2, (byte) 0x82}, false);
                                 c.sendFrame(0x0, new byte[] {'"'}, true);
                             }),
                Arguments.of("a fragmented ping", 1002, (Consumer<RawWsClient>) c -> c.sendFrame(0x9, new byte[1], false)),
                Arguments.of("a ping of 126 bytes", 1002, (Consumer<RawWsClient>) c -> c.sendFrame(0x9, lonePing, true)),
                Arguments.of("a continuation with no message", 1002,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0x0, "{}".getBytes(), true)),
                Arguments.of("close code 999", 1002, (Consumer<RawWsClient>) c -> c.sendFrame(0x8, new byte[] {0x03, (byte) 0xE7}, true)),
                Arguments.of("close code 1005 (never sent)", 1002,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0x8, new byte[] {0x03, (byte) 0xED}, true)),
                Arguments.of("a close reason that is not UTF-8", 1007,
                             (Consumer<RawWsClient>) c -> c.sendFrame(0x8, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}, true)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("violations")
    void isClosedWithTheCodeTheRfcNames(String name, int expected, Consumer<RawWsClient> send) throws IOException {
        try (RawWsClient c = RawWsClient.connect(hub.port(), "/ws", 0)) {
            assertTrue(c.readFrame().text().contains("\"welcome\""));
            send.accept(c);
            RawWsClient.Frame close = nextClose(c);
            assertEquals(expected, close.closeCode(), name + ": " + Arrays.toString(close.payload()) + " "
                    + new String(close.payload(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aValidCloseIsEchoedAndValidFragmentsWithAPingBetweenThemAreAccepted() throws IOException {
        try (RawWsClient c = RawWsClient.connect(hub.port(), "/ws", 0)) {
            assertTrue(c.readFrame().text().contains("\"welcome\""));
            byte[] euro = "{\"type\":\"ping\",\"x\":\"€\"}".getBytes(StandardCharsets.UTF_8);
            int cut = 20; // inside the three bytes of the euro sign
            c.sendFrame(0x1, Arrays.copyOfRange(euro, 0, cut), false);
            c.sendFrame(0x9, "hi".getBytes(), true);
            c.sendFrame(0x0, Arrays.copyOfRange(euro, cut, euro.length), true);
            RawWsClient.Frame pong = c.readFrame();
            assertEquals(0xA, pong.opcode(), "the protocol ping is answered first");
            assertTrue(c.readFrame().text().contains("\"pong\""), "the fragmented text message went through");
            c.sendFrame(0x8, new byte[] {0x0F, (byte) 0xA0}, true); // 4000: a code of the application range
            RawWsClient.Frame close = nextClose(c);
            assertTrue(close.closeCode() != 1002 && close.closeCode() != 1007, "closed with " + close.closeCode());
        }
    }

    private static RawWsClient.Frame nextClose(RawWsClient c) throws IOException {
        while (true) {
            RawWsClient.Frame f = c.readFrame();
            if (f.opcode() == 0x8) {
                return f;
            }
            assertTrue(f.opcode() == 0x1 || f.opcode() == 0x9 || f.opcode() == 0xA,
                       "not a WebSocket frame: " + new String(f.payload(), StandardCharsets.ISO_8859_1));
        }
    }
}
