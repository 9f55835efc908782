package io.alerthub.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain socket, for peers the JDK client cannot play: one that never reads, one that
 * never answers protocol pings, one that sends a frame larger than allowed. It does the RFC 6455 handshake and
 * frames by hand and reads only when told to.
 */
final class RawWsClient implements AutoCloseable {

    /** A frame as read: its opcode, whether RSV1 (compressed) was set, and its payload. */
    record Frame(int opcode, boolean compressed, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private String handshakeAnswer = "";

    private RawWsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Connects and upgrades.
     *
     * @param receiveBuffer the socket's receive buffer in bytes (small for a client that never reads), or 0
     */
    static RawWsClient connect(int port, String pathAndQuery, int receiveBuffer) {
        return connect(port, pathAndQuery, receiveBuffer, "");
    }

    /**
     * Connects and upgrades, with extra request headers ({@code "Sec-WebSocket-Extensions: permessage-deflate\r\n"}).
     */
    static RawWsClient connect(int port, String pathAndQuery, int receiveBuffer, String extraHeaders) {
        try {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            RawWsClient c = new RawWsClient(s);
            c.handshake(pathAndQuery, port, extraHeaders);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handshake(String pathAndQuery, int port, String extraHeaders) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("upgrade refused: " + head);
        }
        handshakeAnswer = head;
    }

    /** A header of the 101 answer, or {@code null}. */
    String answerHeader(String name) {
        for (String line : handshakeAnswer.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    void sendText(String text) {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A text frame of {@code length} bytes of JSON-ish filler. */
    void sendTextOfLength(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        payload[0] = '"';
        payload[length - 1] = '"';
        sendFrame(0x1, payload, true);
    }

    void sendFrame(int opcode, byte[] payload, boolean fin) {
        sendFrame(opcode, payload, fin, false);
    }

    /** A frame; {@code compressed} sets RSV1 (the payload must then be deflated, RFC 7692). */
    void sendFrame(int opcode, byte[] payload, boolean fin, boolean compressed) {
        try {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
            f.write((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) | opcode);
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
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i % 4]);
            }
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the next frame.
     *
     * @throws EOFException when the server closed the connection (possibly in the middle of a frame)
     */
    Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, (first & 0x40) != 0, payload);
    }

    /** Bytes as they are, for frames no well-behaved client would send. */
    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setReadTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
