package io.alerthub.core.server;

import java.time.Duration;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * The hub's WebSocket upgrader: Helidon's, without Helidon's own origin check.
 *
 * <p>Helidon 4.5 refuses a browser's upgrade whose {@code Origin} is not the request's own host (or one of
 * {@code server.protocols.websocket.origins}) with a bare 403, before any route or filter sees the request. Which
 * origins may connect is the WebSocket plugin's setting ({@code plugins.websocket.allowed-origins}, empty = any,
 * PROTOCOL section 7), checked in its upgrade listener and answered with a JSON error that names the reason; a
 * dashboard served elsewhere (OpenSPC's front end behind its dev server's proxy keeps its own origin) must reach
 * it. A plain upgrader (not Helidon's routed one) also keeps the contract the plugin's refusals rely on: a refused
 * upgrade returns no connection and the request goes on through the HTTP routing, where the plugin answers it.
 * {@code WebSocketUpgradeProviderTest} fails loudly if a Helidon upgrade changes either.
 *
 * <p>It also checks what clients send before Helidon reads it ({@link ClientFrames}: Helidon 4.5 answers a reserved
 * opcode with an HTTP 500 inside the WebSocket stream, passes invalid UTF-8 on as U+FFFD, and echoes any close code).
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class WebSocketUpgradeProvider extends WsUpgradeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public WebSocketUpgradeProvider() {
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new OriginPolicyFree(config);
    }

    /** Helidon's upgrader, leaving the origin to the listener. */
    static final class OriginPolicyFree extends WsUpgrader {
        OriginPolicyFree(WsConfig config) {
            super(config);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            // the WebSocket plugin's allowed-origins decides, in onHttpUpgrade
        }

        /**
         * Helidon's upgrade, with the client's frames checked before Helidon reads them ({@link ClientFrames}), and a
         * failure inside the connection ending it as a connection (never as an HTTP 500 written into the stream).
         */
        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            ServerConnection connection = super.upgrade(new CheckedWsContext(ctx), prologue, headers);
            return connection == null ? null : new Contained(connection);
        }
    }

    /** A WebSocket connection whose unexpected failure closes the socket and is logged in one line. */
    private record Contained(ServerConnection connection) implements ServerConnection {

        private static final System.Logger LOG = System.getLogger(WebSocketUpgradeProvider.class.getName());

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                connection.handle(limit);
            } catch (CloseConnectionException | InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "websocket connection failed: " + e);
                throw new CloseConnectionException("websocket connection failed", e);
            }
        }

        @Override
        public Duration idleTime() {
            return connection.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            connection.close(interrupt);
        }
    }
}
