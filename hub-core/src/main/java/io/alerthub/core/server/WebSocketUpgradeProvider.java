package io.alerthub.core.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.DirectHandler;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRoute;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;

/**
 * The hub's WebSocket upgrade: Helidon's handshake and routing, with the hub's own {@link WebSocketConnection} and
 * without Helidon's origin check.
 *
 * <ul>
 *   <li>Helidon 4.5 refuses a browser's upgrade whose {@code Origin} is not the request's own host (or one of
 *       {@code server.protocols.websocket.origins}) with a bare 403, before any route or filter sees the request.
 *       Which origins may connect is the WebSocket plugin's setting ({@code plugins.websocket.allowed-origins},
 *       empty = any, PROTOCOL section 7), checked in its upgrade listener and answered with a JSON error that names
 *       the reason; a dashboard served elsewhere (OpenSPC's front end behind its dev server's proxy keeps its own
 *       origin) must reach it.</li>
 *   <li>An upgrade the listener refuses ({@link WsUpgradeException}) returns no connection, and the request goes on
 *       through the HTTP routing, where the plugin answers it (Helidon's plain upgrader contract; its routed one
 *       answers a bare 400 instead).</li>
 *   <li>The connection is the hub's, for the reasons {@link WebSocketConnection} gives (permessage-deflate, and the
 *       protocol errors Helidon's reader mishandles). The headers the listener returns from {@code onHttpUpgrade}
 *       go into the 101 answer; a {@code Sec-WebSocket-Extensions: permessage-deflate} among them makes the connection
 *       inflate the client's compressed messages.</li>
 * </ul>
 * {@code WebSocketUpgradeProviderTest} and {@code WebSocketConnectionTest} fail loudly if a Helidon upgrade changes
 * what this relies on.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class WebSocketUpgradeProvider extends WsUpgradeProvider {

    static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");
    static final HeaderName EXTENSIONS = HeaderNames.create("Sec-WebSocket-Extensions");
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    private static final HeaderName ACCEPT = HeaderNames.create("Sec-WebSocket-Accept");

    /** For {@link java.util.ServiceLoader}. */
    public WebSocketUpgradeProvider() {
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new HubUpgrader(config);
    }

    /** Helidon's upgrader, with the hub's connection and the origin left to the listener. */
    static final class HubUpgrader extends WsUpgrader {
        private final int maxFrameLength;

        HubUpgrader(WsConfig config) {
            super(config);
            this.maxFrameLength = config.maxFrameLength();
        }

        @Override
        public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
            WsRoute route;
            try {
                route = ctx.router().routing(WsRouting.class, WsRouting.empty()).findRoute(prologue);
            } catch (NotFoundException e) {
                return null;
            }
            if (prologue.method() != Method.GET) {
                throw badRequest("WebSocket upgrade must use GET");
            }
            String key = headers.first(KEY).orElseThrow(() -> badRequest("Missing Sec-WebSocket-Key header"));
            if (!validKey(key)) {
                throw badRequest("Invalid Sec-WebSocket-Key header");
            }
            if (!headers.first(VERSION).map("13"::equals).orElse(false)) {
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .message("Unsupported WebSocket Version")
                        .header(HeaderValues.create(VERSION, "13"))
                        .build();
            }
            WsListener listener = route.listener();
            Optional<Headers> extra;
            try {
                extra = listener.onHttpUpgrade(prologue, headers);
            } catch (WsUpgradeException e) {
                return null;
            }
            Headers response = extra.orElse(WritableHeaders.create());
            StringBuilder answer = new StringBuilder(256)
                    .append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
                    .append("Sec-WebSocket-Accept: ").append(hash(ctx, key)).append("\r\n");
            response.forEach(h -> {
                if (!h.headerName().equals(ACCEPT)) {
                    answer.append(h.name()).append(": ").append(h.values()).append("\r\n");
                }
            });
            answer.append("\r\n");
            ctx.dataWriter().writeNow(BufferData.create(answer.toString().getBytes(StandardCharsets.US_ASCII)));
            String extension = response.first(EXTENSIONS).orElse("").toLowerCase(Locale.ROOT);
            boolean deflate = extension.startsWith("permessage-deflate");
            return new WebSocketConnection(ctx, prologue, response, listener, maxFrameLength, deflate,
                                           extension.contains("client_no_context_takeover"));
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            // the WebSocket plugin's allowed-origins decides, in onHttpUpgrade
        }

        private static boolean validKey(String key) {
            try {
                return Base64.getDecoder().decode(key).length == 16;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static RequestException badRequest(String message) {
            return RequestException.builder().type(DirectHandler.EventType.BAD_REQUEST).message(message).build();
        }
    }
}
