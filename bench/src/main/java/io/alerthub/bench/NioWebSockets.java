package io.alerthub.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The generator's WebSocket client for many subscribers (RFC 6455, text frames; permessage-deflate of RFC 7692
 * without context takeover when {@link Setup#offerDeflate} asks for it): a few selector threads read every
 * connection, and each message is scanned where it lies in the read buffer (or in the one inflated). A thread per
 * connection (Helidon's client on virtual threads) costs about 17 µs of CPU per delivery on this machine, so the
 * generator, not the server, would set the ceiling near 80,000 deliveries/s and add milliseconds of its own
 * queueing to every latency; this client costs a few µs.
 *
 * <p>The handshake is done blocking by the caller; the connection is then handed to a selector thread, which
 * alone reads, answers pings, and writes. Every byte read from the sockets is counted: what the server put on the
 * wire for these subscribers.
 */
final class NioWebSockets implements AutoCloseable {

    /** What a connection tells its owner. Called on the connection's selector thread. */
    interface Handler {
        /** A whole text message: {@code length} bytes of {@code a} from {@code offset}, valid only during the call. */
        void onText(byte[] a, int offset, int length, Connection connection);

        void onClose(String reason);
    }

    /**
     * How the client connects.
     *
     * @param offerDeflate    offer {@code permessage-deflate; client_no_context_takeover; server_no_context_takeover}
     *                        (as browsers offer it), and inflate the compressed messages of a server that agrees
     * @param sourceAddresses local addresses the sockets are bound to in turn (empty: the system's choice). Each
     *                        holds one ephemeral port range, about 28,000 connections to one server
     */
    record Setup(boolean offerDeflate, List<InetAddress> sourceAddresses) {

        static final Setup PLAIN = new Setup(false, List.of());
        static final Setup DEFLATE = new Setup(true, List.of());

        Setup {
            sourceAddresses = List.copyOf(sourceAddresses);
        }
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int READ_BUFFER = 256 * 1024;
    private static final String DEFLATE_OFFER =
            "permessage-deflate; client_no_context_takeover; server_no_context_takeover";
    /** The end of a sync flush, which RFC 7692 has the sender leave off each message and the receiver put back. */
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    /** The most an inflated message may grow to (the hub's own frame limit). */
    private static final int MAX_INFLATED = 1 << 20;

    private final Setup setup;
    private final List<Loop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger nextSource = new AtomicInteger();
    private final AtomicInteger deflateAgreed = new AtomicInteger();

    NioWebSockets(int threads) {
        this(threads, Setup.PLAIN);
    }

    NioWebSockets(int threads, Setup setup) {
        this.setup = setup;
        for (int i = 0; i < threads; i++) {
            Loop loop = new Loop(i);
            loops.add(loop);
            loop.thread.start();
        }
    }

    /**
     * Opens a connection: handshake here (blocking), then reading on a selector thread.
     *
     * @throws UncheckedIOException when the server refuses or the handshake fails
     */
    Connection connect(String host, int port, String path, Handler handler) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.socket().setTcpNoDelay(true);
            List<InetAddress> sources = setup.sourceAddresses();
            if (!sources.isEmpty()) {
                ch.bind(new InetSocketAddress(sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size())),
                                              0));
            }
            ch.connect(new InetSocketAddress(host, port));
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String wsKey = Base64.getEncoder().encodeToString(key);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + wsKey
                    + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (setup.offerDeflate() ? "Sec-WebSocket-Extensions: " + DEFLATE_OFFER + "\r\n" : "") + "\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer in = ByteBuffer.allocate(8192);
            int end;
            while ((end = headEnd(in)) < 0) {
                if (!in.hasRemaining() || ch.read(in) < 0) {
                    throw new IOException("the server closed the connection during the handshake");
                }
            }
            String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
            }
            String expected = accept(wsKey);
            if (!head.toLowerCase(Locale.ROOT).contains("sec-websocket-accept: " + expected.toLowerCase(Locale.ROOT))) {
                throw new IOException("bad Sec-WebSocket-Accept in " + head);
            }
            boolean deflate = agreedDeflate(head);
            if (deflate && !setup.offerDeflate()) {
                throw new IOException("the server answered permessage-deflate, which was not offered");
            }
            if (deflate) {
                deflateAgreed.incrementAndGet();
            }
            byte[] rest = new byte[in.position() - end - 4];
            System.arraycopy(in.array(), end + 4, rest, 0, rest.length);
            ch.configureBlocking(false);
            Loop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
            loop.bytesRead.addAndGet(in.position());
            Connection c = new Connection(ch, handler, loop, rest, deflate);
            loop.register(c);
            return c;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
            }
            throw new UncheckedIOException("WebSocket connect to " + host + ":" + port + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the 101 answer agrees on permessage-deflate (the hub answers without context takeover). */
    private static boolean agreedDeflate(String head) {
        return head.lines().map(l -> l.toLowerCase(Locale.ROOT))
                .filter(l -> l.startsWith("sec-websocket-extensions:"))
                .anyMatch(l -> l.substring(l.indexOf(':') + 1).trim().startsWith("permessage-deflate"));
    }

    /** Bytes read from every socket so far (handshakes included): what the server sent these connections. */
    long bytesRead() {
        return loops.stream().mapToLong(l -> l.bytesRead.get()).sum();
    }

    /** Compressed messages inflated so far. */
    long inflatedMessages() {
        return loops.stream().mapToLong(l -> l.inflated.get()).sum();
    }

    /** Connections whose server agreed on permessage-deflate. */
    int deflateAgreed() {
        return deflateAgreed.get();
    }

    private static int headEnd(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i - 3;
            }
        }
        return -1;
    }

    static String accept(String wsKey) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((wsKey + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Loop l : loops) {
            l.stop();
        }
    }

    /** One selector thread and the connections it reads. */
    private static final class Loop {
        private final Selector selector;
        private final Thread thread;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        /** Every compressed message is a deflate stream of its own (no context takeover): one inflater serves all. */
        private final Inflater inflater = new Inflater(true);
        private byte[] inflatedBuffer = new byte[4096];
        /** Written by this loop's thread alone; read by the step that measures. */
        private final AtomicLong bytesRead = new AtomicLong();
        private final AtomicLong inflated = new AtomicLong();
        private volatile boolean running = true;

        Loop(int i) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = Thread.ofPlatform().daemon().name("ws-reader-" + i).unstarted(this::run);
        }

        private void ready(SelectionKey key) {
            Connection c = (Connection) key.attachment();
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isValid() && key.isReadable()) {
                c.readable(this);
            }
        }

        void register(Connection c) {
            execute(() -> {
                try {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                    if (c.carry != null && c.carry.length > 0) {
                        c.consume(this);
                    }
                } catch (ClosedChannelException e) {
                    c.lost("closed before it was registered");
                }
            });
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        void stop() {
            running = false;
            selector.wakeup();
        }

        /**
         * Inflates one compressed message into this loop's buffer; returns its length.
         *
         * @throws DataFormatException when it is not a deflate stream or inflates beyond {@link #MAX_INFLATED}
         */
        int inflate(byte[] a, int offset, int length) throws DataFormatException {
            inflater.reset();
            inflater.setInput(a, offset, length);
            int n = inflateAll(0);
            inflater.setInput(DEFLATE_TAIL);
            n = inflateAll(n);
            inflated.incrementAndGet();
            return n;
        }

        private int inflateAll(int from) throws DataFormatException {
            int n = from;
            while (true) {
                if (n == inflatedBuffer.length) {
                    if (n >= MAX_INFLATED) {
                        throw new DataFormatException("a message inflates beyond " + MAX_INFLATED + " bytes");
                    }
                    inflatedBuffer = Arrays.copyOf(inflatedBuffer, n * 2);
                }
                int got = inflater.inflate(inflatedBuffer, n, inflatedBuffer.length - n);
                n += got;
                if (got == 0 && (inflater.needsInput() || inflater.finished())) {
                    return n;
                }
                if (got == 0 && inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary is not part of permessage-deflate");
                }
            }
        }

        private void run() {
            while (running) {
                try {
                    // The consumer form of select: no selected-key set to fill and clear on every wakeup.
                    selector.select(this::ready);
                } catch (IOException e) {
                    return;
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
            }
            for (SelectionKey key : selector.keys()) {
                ((Connection) key.attachment()).lost("generator stopped");
            }
            inflater.end();
            try {
                selector.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    /** One client connection. Everything but {@link #close} runs on its selector thread. */
    static final class Connection {
        private final SocketChannel channel;
        private final Handler handler;
        private final Loop loop;
        private final boolean deflate;
        private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        private SelectionKey key;
        private byte[] carry;
        private ByteArrayOutputStream fragments;
        /** The message being assembled from fragments came compressed (RSV1 on its first frame). */
        private boolean fragmentsCompressed;
        private boolean closed;

        Connection(SocketChannel channel, Handler handler, Loop loop, byte[] carry, boolean deflate) {
            this.channel = channel;
            this.handler = handler;
            this.loop = loop;
            this.carry = carry;
            this.deflate = deflate;
        }

        /** Whether the server agreed on permessage-deflate for this connection. */
        boolean deflate() {
            return deflate;
        }

        /** Sends a text message (from the selector thread, inside a handler). */
        void sendText(String message) {
            send(frame(0x1, message.getBytes(StandardCharsets.UTF_8)));
        }

        /** Starts the close handshake (any thread); the server answers and ends the connection. */
        void close() {
            loop.execute(() -> {
                if (!closed) {
                    send(frame(0x8, new byte[] {0x03, (byte) 0xE8}));
                }
            });
        }

        /** Cuts the socket without a close handshake (any thread). */
        void abort() {
            loop.execute(() -> lost("aborted by the generator"));
        }

        private void readable(Loop l) {
            ByteBuffer b = l.buffer;
            b.clear();
            int n;
            try {
                n = channel.read(b);
            } catch (IOException e) {
                lost("connection lost: " + e.getMessage());
                return;
            }
            if (n < 0) {
                lost("connection closed by the server");
                return;
            }
            l.bytesRead.addAndGet(n);
            if (carry != null) {
                byte[] joined = new byte[carry.length + b.position()];
                System.arraycopy(carry, 0, joined, 0, carry.length);
                System.arraycopy(b.array(), 0, joined, carry.length, b.position());
                carry = null;
                parse(l, joined, 0, joined.length);
            } else {
                parse(l, b.array(), 0, b.position());
            }
        }

        private void consume(Loop l) {
            byte[] c = carry;
            carry = null;
            parse(l, c, 0, c.length);
        }

        private void parse(Loop l, byte[] a, int from, int to) {
            int p = from;
            while (!closed && to - p >= 2) {
                int b0 = a[p] & 0xFF;
                int b1 = a[p + 1] & 0xFF;
                boolean fin = (b0 & 0x80) != 0;
                boolean rsv1 = (b0 & 0x40) != 0;
                int opcode = b0 & 0x0F;
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (to - p < 4) {
                        break;
                    }
                    length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (to - p < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | (a[p + 2 + i] & 0xFF);
                    }
                    header = 10;
                }
                if ((b1 & 0x80) != 0 || length > Integer.MAX_VALUE - 16) {
                    lost("protocol error: masked or oversized server frame");
                    return;
                }
                if (rsv1 && (!deflate || opcode != 0x1)) {
                    lost("protocol error: RSV1 on " + (deflate ? "a frame other than a message's first"
                            : "a connection without permessage-deflate"));
                    return;
                }
                if (to - p < header + length) {
                    break;
                }
                int start = p + header;
                int len = (int) length;
                p = start + len;
                switch (opcode) {
                    case 0x1, 0x0 -> text(l, a, start, len, fin, opcode == 0x0, rsv1);
                    case 0x8 -> {
                        int code = len >= 2 ? ((a[start] & 0xFF) << 8) | (a[start + 1] & 0xFF) : 1005;
                        String reason = len > 2 ? new String(a, start + 2, len - 2, StandardCharsets.UTF_8) : "";
                        send(frame(0x8, len >= 2 ? new byte[] {a[start], a[start + 1]} : new byte[0]));
                        lost("closed by the server: " + code + " " + reason);
                        return;
                    }
                    case 0x9 -> {
                        byte[] data = new byte[len];
                        System.arraycopy(a, start, data, 0, len);
                        send(frame(0xA, data));
                    }
                    default -> {
                        // pong, binary: nothing to do
                    }
                }
            }
            if (p < to && !closed) {
                carry = new byte[to - p];
                System.arraycopy(a, p, carry, 0, to - p);
            }
        }

        private void text(Loop l, byte[] a, int start, int len, boolean fin, boolean continuation, boolean rsv1) {
            if (fragments == null && fin && !continuation) {
                message(l, a, start, len, rsv1);
                return;
            }
            if (fragments == null) {
                fragments = new ByteArrayOutputStream();
                fragmentsCompressed = rsv1;
            }
            fragments.write(a, start, len);
            if (fin) {
                byte[] whole = fragments.toByteArray();
                fragments = null;
                message(l, whole, 0, whole.length, fragmentsCompressed);
            }
        }

        private void message(Loop l, byte[] a, int start, int len, boolean compressed) {
            if (!compressed) {
                handler.onText(a, start, len, this);
                return;
            }
            int n;
            try {
                n = l.inflate(a, start, len);
            } catch (DataFormatException e) {
                lost("protocol error: a compressed message does not inflate: " + e.getMessage());
                return;
            }
            handler.onText(l.inflatedBuffer, 0, n, this);
        }

        private void send(byte[] frame) {
            if (closed) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(frame);
            try {
                if (pending.isEmpty()) {
                    channel.write(b);
                    if (!b.hasRemaining()) {
                        return;
                    }
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
                pending.add(b);
            } catch (IOException e) {
                lost("connection lost: " + e.getMessage());
            }
        }

        private void flush() {
            try {
                while (!pending.isEmpty()) {
                    ByteBuffer b = pending.peek();
                    channel.write(b);
                    if (b.hasRemaining()) {
                        return;
                    }
                    pending.poll();
                }
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
                lost("connection lost: " + e.getMessage());
            }
        }

        private void lost(String reason) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            handler.onClose(reason);
        }

        /** A client frame: masked, as RFC 6455 requires of clients. */
        private static byte[] frame(int opcode, byte[] payload) {
            int n = payload.length;
            int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
            byte[] f = new byte[header + 4 + n];
            f[0] = (byte) (0x80 | opcode);
            if (header == 2) {
                f[1] = (byte) (0x80 | n);
            } else if (header == 4) {
                f[1] = (byte) (0x80 | 126);
                f[2] = (byte) (n >>> 8);
                f[3] = (byte) n;
            } else {
                f[1] = (byte) (0x80 | 127);
                for (int i = 0; i < 8; i++) {
                    f[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            System.arraycopy(mask, 0, f, header, 4);
            for (int i = 0; i < n; i++) {
                f[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
            return f;
        }
    }
}
