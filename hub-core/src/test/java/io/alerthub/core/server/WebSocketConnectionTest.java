package io.alerthub.core.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hub's {@link WebSocketConnection} on a bare Helidon server, driven frame by frame from a raw socket: every rule
 * of RFC 6455 a server must enforce, with the close code the RFC names, and permessage-deflate (RFC 7692) messages from
 * the client. Each protocol error here was mishandled by Helidon 4.5's own connection (a raw HTTP 500 for a reserved
 * opcode, replacement characters for bad UTF-8, fragmented or oversized control frames taken, every close answered
 * with 1000, compressed frames refused).
 */
class WebSocketConnectionTest {

    private static final int MAX_FRAME = 64 * 1024;
    private static final BlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();
    private static WebSocketServerFixture server;

    @BeforeAll
    static void start() {
        server = new WebSocketServerFixture();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMaskedTextMessageReachesTheListener() throws IOException, InterruptedException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x1, "hello".getBytes(StandardCharsets.UTF_8));
            assertEquals("text:hello:true", RECEIVED.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void textSplitInsideACharacterAcrossFragmentsIsOneValidMessage() throws IOException, InterruptedException {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(false, false, 0x1, Arrays.copyOfRange(euro, 0, 1));
            c.send(true, false, 0x0, Arrays.copyOfRange(euro, 1, 3));
            assertEquals("text::false", RECEIVED.poll(10, TimeUnit.SECONDS));
            assertEquals("text:€:true", RECEIVED.poll(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    void aReservedOpcodeClosesWith1002(int opcode) throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, opcode, new byte[] {1, 2});
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x1, new byte[] {(byte) 0xC0, (byte) 0xAF}); // an overlong '/'
            assertEquals(1007, c.awaitCloseCode());
        }
    }

    @Test
    void aFragmentedPingClosesWith1002() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(false, false, 0x9, new byte[] {1});
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void aPingOfMoreThan125BytesClosesWith1002() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x9, new byte[126]);
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void anUnmaskedFrameClosesWith1002() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.sendUnmasked(0x81, "x".getBytes(StandardCharsets.US_ASCII));
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void aContinuationWithNoMessageClosesWith1002() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x0, new byte[] {'x'});
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void aCompressedFrameWithoutTheExtensionClosesWith1002() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, true, 0x1, deflate("hello"));
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void aCloseCodeThatMayNotBeSentIsAnsweredAsAProtocolError() throws IOException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x8, new byte[] {(byte) (999 >>> 8), (byte) 999});
            assertEquals(1002, c.awaitCloseCode());
        }
    }

    @Test
    void aValidCloseCodeIsEchoed() throws IOException, InterruptedException {
        try (Client c = Client.open(server.port(), "/echo")) {
            c.send(true, false, 0x8, new byte[] {(byte) (3001 >>> 8), (byte) (3001 & 0xFF), 'b', 'y', 'e'});
            assertEquals(3001, c.awaitCloseCode());
            assertEquals("close:3001:bye", RECEIVED.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void compressedMessagesInflateWhenTheExtensionWasAgreed() throws IOException, InterruptedException {
        try (Client c = Client.open(server.port(), "/deflate")) {
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                         c.responseHeader("sec-websocket-extensions"));
            c.send(true, true, 0x1, deflate("{\"type\":\"subscribe\"}"));
            assertEquals("text:{\"type\":\"subscribe\"}:true", RECEIVED.poll(10, TimeUnit.SECONDS));
            byte[] two = deflate("second message, split in two frames");
            c.send(false, true, 0x1, Arrays.copyOfRange(two, 0, 5));
            c.send(true, false, 0x0, Arrays.copyOfRange(two, 5, two.length));
            StringBuilder text = new StringBuilder();
            String part;
            do {
                part = RECEIVED.poll(10, TimeUnit.SECONDS);
                text.append(part, part.indexOf(':') + 1, part.lastIndexOf(':'));
            } while (part.endsWith(":false"));
            assertEquals("second message, split in two frames", text.toString());
            c.send(true, false, 0x1, "plain too".getBytes(StandardCharsets.UTF_8));
            assertEquals("text:plain too:true", RECEIVED.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCompressedMessageThatInflatesBeyondTheLimitClosesWith1009() throws IOException {
        byte[] zeros = new byte[MAX_FRAME * 4];
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(zeros);
        byte[] out = new byte[MAX_FRAME];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        try (Client c = Client.open(server.port(), "/deflate")) {
            c.send(true, true, 0x2, Arrays.copyOf(out, n - 4));
            assertEquals(1009, c.awaitCloseCode());
        }
    }

    /** Deflates as a permessage-deflate client does: raw deflate, flushed, without the final empty block's tail. */
    private static byte[] deflate(String text) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[text.length() + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(out, n - 4);
    }

    /** A Helidon server with the hub's upgrader (from META-INF/services) and two endpoints. */
    private static final class WebSocketServerFixture implements AutoCloseable {
        private final WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .addProtocol(WsConfig.builder().maxFrameLength(MAX_FRAME).build())
                .addRouting(WsRouting.builder()
                                    .endpoint("/echo", () -> new Recorder(Optional.empty()))
                                    .endpoint("/deflate", () -> new Recorder(Optional.of(deflateAgreed()))))
                .build()
                .start();

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.stop();
        }

        private static Headers deflateAgreed() {
            WritableHeaders<?> h = WritableHeaders.create();
            h.set(HeaderNames.create("Sec-WebSocket-Extensions"),
                  "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
            return h;
        }
    }

    /** Records what reaches the listener. */
    private static final class Recorder implements WsListener {
        private final Optional<Headers> upgradeHeaders;

        Recorder(Optional<Headers> upgradeHeaders) {
            this.upgradeHeaders = upgradeHeaders;
        }

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            return upgradeHeaders;
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            RECEIVED.add("text:" + text + ":" + last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            RECEIVED.add("binary:" + buffer.available() + ":" + last);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            if (status >= 3000) {
                RECEIVED.add("close:" + status + ":" + reason);
            }
        }
    }

    /** A raw WebSocket client: frames written as given, so that broken ones can be sent. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;
        private final List<String> responseLines;

        private Client(Socket socket, List<String> responseLines) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new DataInputStream(socket.getInputStream());
            this.responseLines = responseLines;
        }

        static Client open(int port, String path) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
                                              .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("no handshake answer: " + head);
                }
                head.write(b);
            }
            List<String> lines = List.of(head.toString(StandardCharsets.US_ASCII).split("\r\n"));
            if (!lines.getFirst().startsWith("HTTP/1.1 101")) {
                throw new IOException("not upgraded: " + lines.getFirst());
            }
            return new Client(s, lines);
        }

        String responseHeader(String name) {
            return responseLines.stream().filter(l -> l.toLowerCase().startsWith(name + ":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        }

        void send(boolean fin, boolean rsv1, int opcode, byte[] payload) throws IOException {
            byte[] mask = {0x11, 0x22, 0x33, 0x44};
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else if (payload.length < 65_536) {
                f.write(0x80 | 126);
                f.write(payload.length >>> 8);
                f.write(payload.length & 0xFF);
            } else {
                f.write(0x80 | 127);
                for (int i = 56; i >= 0; i -= 8) {
                    f.write((int) ((long) payload.length >>> i) & 0xFF);
                }
            }
            f.write(mask);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i & 3];
            }
            f.write(masked);
            out.write(f.toByteArray());
            out.flush();
        }

        void sendUnmasked(int first, byte[] payload) throws IOException {
            out.write(first);
            out.write(payload.length);
            out.write(payload);
            out.flush();
        }

        /** Reads frames until a close frame and returns its code; fails when the socket ends without one. */
        int awaitCloseCode() throws IOException {
            while (true) {
                int b0 = in.readUnsignedByte();
                int len = in.readUnsignedByte() & 0x7F;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = (int) in.readLong();
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                if ((b0 & 0x0F) == 0x8) {
                    assertEquals(0x88, b0, "a final close frame, no reserved bits");
                    return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
