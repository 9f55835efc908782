package io.alerthub.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simplest server the load generator can be pointed at: one NIO thread that accepts {@code POST
 * /api/v1/events} (one event) and WebSocket subscribers on {@code /ws?characteristic_ids=N}, and queues each posted
 * body, framed once, for the subscribers of its characteristic; after each round of reads every connection's queue
 * goes out in one gathering write. No validation, no log, no queue bound, no heartbeat. What the generator reaches
 * against it is the generator's own ceiling on this machine.
 *
 * <p>Prints {@code listening on http://127.0.0.1:PORT} when ready. Usage: {@code FanoutServer [--port N]}.
 */
public final class FanoutServer {

    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] ACCEPTED = ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
            + "Content-Length: 14\r\n\r\n{\"accepted\":1}").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_PENDING = 64L << 20;

    private final Selector selector;
    private final Map<String, List<Connection>> subscribers = new HashMap<>();
    private final List<Connection> dirty = new ArrayList<>();

    private FanoutServer(Selector selector) {
        this.selector = selector;
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: FanoutServer [--port N]");
                System.exit(2);
            }
        }
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("listening on http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
        System.out.flush();
        new FanoutServer(selector).loop(server);
    }

    private void loop(ServerSocketChannel server) throws IOException {
        while (true) {
            selector.select();
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                try {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = server.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.socket().setTcpNoDelay(true);
                            Connection c = new Connection(ch);
                            c.key = ch.register(selector, SelectionKey.OP_READ, c);
                        }
                        continue;
                    }
                    Connection c = (Connection) key.attachment();
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isValid() && key.isReadable()) {
                        c.readable();
                    }
                } catch (IOException | RuntimeException e) {
                    if (key.attachment() instanceof Connection c) {
                        c.close();
                    }
                }
            }
            for (Connection c : dirty) {
                c.dirty = false;
                c.flush();
            }
            dirty.clear();
        }
    }

    private void broadcast(String topic, byte[] frame) {
        List<Connection> list = subscribers.get(topic);
        if (list == null) {
            return;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            list.get(i).send(frame);
        }
    }

    /** One client: HTTP until it upgrades, then a WebSocket subscriber. */
    private final class Connection {
        private final SocketChannel channel;
        private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private long pendingBytes;
        private SelectionKey key;
        private String topic;
        private boolean webSocket;
        private boolean closeAfterFlush;
        private boolean dirty;
        private boolean closed;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void readable() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                close();
                return;
            }
            in.flip();
            try {
                while (!closed && (webSocket ? clientFrame() : request())) {
                    // handled one message
                }
            } finally {
                in.compact();
            }
        }

        /** One HTTP request, if whole; {@code false} when more bytes are needed. */
        private boolean request() {
            int end = indexOf(in, CRLFCRLF);
            if (end < 0) {
                grow();
                return false;
            }
            String head = new String(in.array(), in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                lines[i].substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            int bodyStart = end + 4;
            if (in.limit() - bodyStart < length) {
                grow();
                return false;
            }
            byte[] body = new byte[length];
            System.arraycopy(in.array(), bodyStart, body, 0, length);
            in.position(bodyStart + length);
            String target = requestLine.length > 1 ? requestLine[1] : "";
            if (requestLine[0].equals("GET") && target.startsWith("/ws")
                    && headers.containsKey("sec-websocket-key")) {
                upgrade(headers.get("sec-websocket-key"), target);
            } else if (requestLine[0].equals("POST") && target.equals("/api/v1/events")) {
                // Answer first, like a server that hands fan-out to someone else: the publisher is not held up.
                send(ACCEPTED);
                String t = topicOf(body);
                if (t != null) {
                    broadcast(t, frame(0x1, body));
                }
            } else {
                send(NOT_FOUND);
            }
            return true;
        }

        private void upgrade(String wsKey, String target) {
            String accept;
            try {
                accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((wsKey + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            send(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            webSocket = true;
            int q = target.indexOf("characteristic_ids=");
            if (q >= 0) {
                int endId = target.indexOf('&', q);
                topic = "characteristic:" + target.substring(q + 19, endId < 0 ? target.length() : endId);
                subscribers.computeIfAbsent(topic, k -> new ArrayList<>()).add(this);
            }
            send(frame(0x1, "{\"type\":\"subscribed\"}".getBytes(StandardCharsets.US_ASCII)));
        }

        /** One client frame, if whole: close is answered and ends the connection, ping is answered. */
        private boolean clientFrame() {
            if (in.remaining() < 2) {
                return false;
            }
            int p = in.position();
            int opcode = in.get(p) & 0x0F;
            boolean masked = (in.get(p + 1) & 0x80) != 0;
            long length = in.get(p + 1) & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4) {
                    return false;
                }
                length = ((in.get(p + 2) & 0xFF) << 8) | (in.get(p + 3) & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    return false;
                }
                length = in.getLong(p + 2);
                header = 10;
            }
            int total = header + (masked ? 4 : 0) + (int) length;
            if (in.remaining() < total) {
                grow();
                return false;
            }
            byte[] payload = new byte[(int) length];
            int maskAt = p + header;
            int dataAt = maskAt + (masked ? 4 : 0);
            for (int i = 0; i < length; i++) {
                byte b = in.get(dataAt + i);
                payload[i] = masked ? (byte) (b ^ in.get(maskAt + (i & 3))) : b;
            }
            in.position(p + total);
            if (opcode == 0x8) {
                send(frame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]));
                closeAfterFlush = true;
                if (pending.isEmpty()) {
                    close();
                }
            } else if (opcode == 0x9) {
                send(frame(0xA, payload));
            }
            return true;
        }

        /** Queues bytes; they go out with the connection's other queued bytes after this round of reads. */
        void send(byte[] bytes) {
            if (closed) {
                return;
            }
            pending.add(ByteBuffer.wrap(bytes));
            pendingBytes += bytes.length;
            if (pendingBytes > MAX_PENDING) {
                close();
                return;
            }
            if (!dirty && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                dirty = true;
                FanoutServer.this.dirty.add(this);
            }
        }

        /** Writes what is queued in one gathering write; waits for OP_WRITE when the socket is full. */
        void flush() {
            if (closed) {
                return;
            }
            try {
                while (!pending.isEmpty()) {
                    ByteBuffer[] all = pending.toArray(ByteBuffer[]::new);
                    long n = channel.write(all);
                    pendingBytes -= n;
                    while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
                        pending.poll();
                    }
                    if (!pending.isEmpty()) {
                        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                }
                key.interestOps(SelectionKey.OP_READ);
                if (closeAfterFlush) {
                    close();
                }
            } catch (IOException e) {
                close();
            }
        }

        private void grow() {
            if (in.position() == 0 && in.limit() == in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                bigger.put(in);
                bigger.flip();
                in = bigger;
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (topic != null) {
                List<Connection> list = subscribers.get(topic);
                if (list != null) {
                    list.remove(this);
                }
            }
            pending.clear();
            try {
                channel.close();
            } catch (IOException e) {
                // gone anyway
            }
        }
    }

    /** The topic of a posted event: its characteristic ({@code "characteristic_id":N}). */
    static String topicOf(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 256), StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\"characteristic_id\":");
        if (at < 0) {
            return null;
        }
        int from = at + 20;
        int to = from;
        while (to < s.length() && (Character.isLetterOrDigit(s.charAt(to)) || s.charAt(to) == '"'
                || s.charAt(to) == '-' || s.charAt(to) == '_')) {
            to++;
        }
        return "characteristic:" + s.substring(from, to).replace("\"", "");
    }

    /** An unmasked server frame. */
    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] f = new byte[header + n];
        f[0] = (byte) (0x80 | opcode);
        if (header == 2) {
            f[1] = (byte) n;
        } else if (header == 4) {
            f[1] = 126;
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        } else {
            f[1] = 127;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header, n);
        return f;
    }

    private static int indexOf(ByteBuffer b, byte[] needle) {
        byte[] a = b.array();
        for (int i = b.position(); i <= b.limit() - needle.length; i++) {
            int k = 0;
            while (k < needle.length && a[i + k] == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return i;
            }
        }
        return -1;
    }
}
