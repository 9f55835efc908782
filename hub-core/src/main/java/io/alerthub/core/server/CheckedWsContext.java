package io.alerthub.core.server;

import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;

/**
 * A WebSocket connection's context as Helidon's {@code WsConnection} sees it: the same in every respect but its
 * reader, which hands on only the bytes {@link ClientFrames} accepts, and then throws the close that Helidon sends
 * (its frame reader answers a {@code WsCloseException} with that close frame and ends the connection).
 */
final class CheckedWsContext implements ConnectionContext {

    private final ConnectionContext ctx;
    private final DataReader reader;

    CheckedWsContext(ConnectionContext ctx) {
        this.ctx = ctx;
        DataReader raw = ctx.dataReader();
        ClientFrames frames = new ClientFrames();
        this.reader = DataReader.create(() -> {
            if (frames.failure() != null) {
                throw frames.failure();
            }
            raw.ensureAvailable();
            byte[] bytes = raw.readBytes(raw.available());
            int ok = frames.accept(bytes, bytes.length);
            if (ok == bytes.length) {
                return bytes;
            }
            if (ok == 0) {
                throw frames.failure();
            }
            return java.util.Arrays.copyOf(bytes, ok);
        });
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return ctx.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return ctx.dataWriter();
    }

    @Override
    public Router router() {
        return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
        return ctx.isSecure();
    }

    @Override
    public String socketId() {
        return ctx.socketId();
    }

    @Override
    public String childSocketId() {
        return ctx.childSocketId();
    }
}
