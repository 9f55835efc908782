package io.alerthub.core.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.concurrency.limits.LimitException;
import io.helidon.common.socket.SocketContext;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The server side of one WebSocket connection: reads the client's frames, checks every rule of RFC 6455 (and
 * inflates permessage-deflate messages, RFC 7692), and hands messages to the route's {@link WsListener}, which is the
 * same listener a Helidon connection would call.
 *
 * <p>Why the hub reads frames itself rather than through Helidon's {@code WsConnection}: Helidon 4.5's reader has no
 * permessage-deflate and refuses any frame with RSV1 set (a browser compresses every message once the extension is
 * agreed), writes a raw {@code HTTP/1.1 500} into the WebSocket stream on a reserved opcode, passes text that is not
 * UTF-8 on as replacement characters instead of closing with 1007, accepts fragmented and oversized control frames,
 * and answers every close with 1000 whatever the client sent. {@code WebSocketConnectionTest} pins each of these.
 *
 * <p>Writes: the listener writes its frames straight to the socket ({@code SessionTransport} in the WebSocket plugin,
 * from one writer thread); this connection writes only close frames, and a close it answers from the reader thread is
 * written after {@link WsListener#onClose} returned (the listener stops its writer there).
 */
final class WebSocketConnection implements ServerConnection, WsSession {

    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());

    private final ConnectionContext ctx;
    private final HttpPrologue prologue;
    private final Headers responseHeaders;
    private final WsListener listener;
    private final int maxFrameLength;
    private final boolean deflate;
    private final MessageAssembler messages;
    private final DataReader reader;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean closeNotified = new AtomicBoolean();
    private boolean sendContinuation;
    private volatile Thread thread;
    private volatile boolean canRun = true;
    private volatile boolean readingNetwork;
    private volatile long lastFrameNanos = System.nanoTime();

    /**
     * @param responseHeaders what the 101 answer carried beside the handshake (a subprotocol, an extension)
     * @param deflate         the 101 agreed on permessage-deflate: clients may compress their messages
     * @param resetPerMessage the client compresses each message on its own ({@code client_no_context_takeover})
     */
    WebSocketConnection(ConnectionContext ctx, HttpPrologue prologue, Headers responseHeaders, WsListener listener,
                        int maxFrameLength, boolean deflate, boolean resetPerMessage) {
        this.ctx = ctx;
        this.prologue = prologue;
        this.responseHeaders = responseHeaders;
        this.listener = listener;
        this.maxFrameLength = maxFrameLength;
        this.deflate = deflate;
        this.messages = new MessageAssembler(maxFrameLength, resetPerMessage);
        this.reader = ctx.dataReader();
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        thread = Thread.currentThread();
        try {
            limit.run(() -> listener.onOpen(this));
        } catch (LimitException e) {
            close(1013, "Too Many Concurrent Requests");
            return;
        } catch (CloseConnectionException e) {
            throw e;
        } catch (Exception e) {
            close(1011, String.valueOf(e.getMessage()));
            return;
        }
        try {
            while (canRun) {
                ClientFrame frame;
                readingNetwork = true;
                try {
                    frame = ClientFrame.read(reader, maxFrameLength, deflate);
                } catch (DataReader.InsufficientDataAvailableException e) {
                    throw new CloseConnectionException("WebSocket closed by the other side", e);
                } finally {
                    readingNetwork = false;
                }
                lastFrameNanos = System.nanoTime();
                if (!process(frame)) {
                    return;
                }
            }
            close(1000, "Idle timeout");
        } catch (ClientFrame.Refused r) {
            LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + ctx.remotePeer().address() + " broke the protocol ("
                    + r.code() + "): " + r.getMessage());
            closeAfterListener(r.code(), r.getMessage());
        } finally {
            messages.close();
        }
    }

    /** One frame; {@code false} when the connection ends. */
    private boolean process(ClientFrame frame) throws ClientFrame.Refused {
        switch (frame.opcode()) {
            case ClientFrame.PING -> listener.onPing(this, BufferData.create(frame.payload()));
            case ClientFrame.PONG -> listener.onPong(this, BufferData.create(frame.payload()));
            case ClientFrame.CLOSE -> {
                closeReceived(frame.payload());
                return false;
            }
            default -> {
                MessageAssembler.Part part = messages.accept(frame);
                try {
                    if (part.text()) {
                        listener.onMessage(this, part.string(), part.last());
                    } else {
                        listener.onMessage(this, BufferData.create(part.bytes()), part.last());
                    }
                } catch (RuntimeException e) {
                    listener.onError(this, e);
                    closeAfterListener(1011, "internal error");
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The client's close: a valid code is echoed (RFC 6455 section 5.5.1), an invalid one, or a reason that is not
     * UTF-8, is answered as the protocol error it is.
     */
    private void closeReceived(byte[] payload) throws ClientFrame.Refused {
        int code = 1005;
        String reason = "";
        if (payload.length == 1) {
            throw new ClientFrame.Refused(1002, "a close frame with a one-byte payload");
        }
        if (payload.length >= 2) {
            code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (!receivable(code)) {
                throw new ClientFrame.Refused(1002, "close code " + code + " may not be sent");
            }
            reason = MessageAssembler.utf8(payload, 2, payload.length - 2);
        }
        notifyClose(code, reason);
        if (closeSent.compareAndSet(false, true)) {
            sendClose(code == 1005 ? 1000 : code, "");
        }
    }

    /** The close codes a peer may send (RFC 6455 section 7.4; 1004-1006 and 1015 are never on the wire). */
    static boolean receivable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private void closeAfterListener(int code, String reason) {
        notifyClose(code, reason);
        close(code, reason);
    }

    private void notifyClose(int code, String reason) {
        if (closeNotified.compareAndSet(false, true)) {
            listener.onClose(this, code, reason);
        }
    }

    @Override
    public WsSession send(String text, boolean last) {
        return send(0x1, text.getBytes(StandardCharsets.UTF_8), last);
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        byte[] bytes = new byte[bufferData.available()];
        bufferData.read(bytes);
        return send(0x2, bytes, last);
    }

    private WsSession send(int opcode, byte[] payload, boolean last) {
        sendLock.lock();
        try {
            int code = sendContinuation ? 0x0 : opcode;
            sendContinuation = !last;
            write((last ? 0x80 : 0) | code, payload);
        } finally {
            sendLock.unlock();
        }
        return this;
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        return control(0x9, bufferData);
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        return control(0xA, bufferData);
    }

    private WsSession control(int opcode, BufferData data) {
        byte[] bytes = new byte[Math.min(125, data.available())];
        data.read(bytes);
        sendLock.lock();
        try {
            write(0x80 | opcode, bytes);
        } finally {
            sendLock.unlock();
        }
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        if (closeSent.compareAndSet(false, true)) {
            sendClose(code, reason);
        }
        return this;
    }

    private void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        sendLock.lock();
        try {
            write(0x88, payload);
        } catch (RuntimeException e) {
            // the client is gone: nothing to tell it
        } finally {
            sendLock.unlock();
        }
    }

    private void write(int first, byte[] payload) {
        int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        BufferData frame = BufferData.create(header + payload.length);
        frame.write(first);
        if (header == 2) {
            frame.write(payload.length);
        } else if (header == 4) {
            frame.write(126);
            frame.writeInt16(payload.length);
        } else {
            frame.write(127);
            frame.writeInt32(0);
            frame.writeInt32(payload.length);
        }
        frame.write(payload);
        ctx.dataWriter().writeNow(frame);
    }

    @Override
    public WsSession terminate() {
        close(1000, "Terminate");
        throw new CloseConnectionException("Terminate from WebSocket");
    }

    @Override
    public Optional<String> subProtocol() {
        return responseHeaders.first(WebSocketUpgradeProvider.PROTOCOL);
    }

    @Override
    public SocketContext socketContext() {
        return ctx;
    }

    @Override
    public HttpPrologue prologue() {
        return prologue;
    }

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastFrameNanos);
    }

    @Override
    public void close(boolean interrupt) {
        canRun = false;
        Thread t = thread;
        if (t != null && (interrupt || readingNetwork)) {
            t.interrupt();
        }
    }
}
