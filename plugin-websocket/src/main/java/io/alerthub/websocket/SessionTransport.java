package io.alerthub.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

/**
 * The socket under one Helidon WebSocket session. Frames built once per event are written as they are (Helidon's
 * {@code WsSession.send} would copy and re-frame them for every client); the close handshake goes through the
 * session so that Helidon knows it was sent. Only the connection's writer calls {@link #write} and {@link #close}.
 */
final class SessionTransport {

    private final WsSession session;
    private final DataWriter writer;
    private final HelidonSocket socket;

    private SessionTransport(WsSession session, DataWriter writer, HelidonSocket socket) {
        this.session = session;
        this.writer = writer;
        this.socket = socket;
    }

    /**
     * @throws IllegalStateException when the session is not one of Helidon's server connections
     */
    static SessionTransport create(WsSession session) {
        if (!(session.socketContext() instanceof ConnectionContext ctx)) {
            throw new IllegalStateException("not a Helidon server WebSocket session: " + session.socketContext());
        }
        return new SessionTransport(session, ctx.dataWriter(), ctx.serverSocket());
    }

    /** Writes whole frames; blocks while the client does not read. */
    void write(byte[] frames, int length) {
        writer.writeNow(BufferData.createReadOnly(frames, 0, length));
    }

    /** Sends the close frame (code and reason reach the client). */
    void close(int code, String reason) {
        session.close(code, reason);
    }

    /** Cuts the socket: the writer blocked on it and the reader both fail at once, and Helidon ends the connection. */
    void abort() {
        try {
            socket.close();
        } catch (RuntimeException e) {
            // already closed
        }
    }

    /** {@code host:port} of the client, for logs. */
    String remote() {
        try {
            return socket.remotePeer().host() + ":" + socket.remotePeer().port();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
