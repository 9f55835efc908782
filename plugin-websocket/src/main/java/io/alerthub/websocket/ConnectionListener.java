package io.alerthub.websocket;

import java.util.Optional;

import io.alerthub.websocket.WsMetrics.CloseReason;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Helidon's listener for one connection (a new instance per connection, called on the connection's own thread):
 * the upgrade check, then every frame the client sends. Every frame counts as life and against the rate limit;
 * text messages are size-checked, parsed and handed to the endpoint's dialect; a bad one is answered with an
 * {@code error} message and the connection stays open.
 *
 * @param <A> what the endpoint's upgrade check hands to its opening
 */
final class ConnectionListener<A> implements WsListener {

    private static final System.Logger LOG = System.getLogger(ConnectionListener.class.getName());
    private static final HeaderName EXTENSIONS = HeaderNames.create("Sec-WebSocket-Extensions");
    private static final ObjectReader READER = Messages.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Endpoint<A> endpoint;
    private final Connections connections;
    private final int maxMessageBytes;
    private A admission;
    private boolean compressed;
    private Connection connection;

    ConnectionListener(Endpoint<A> endpoint, Connections connections, int maxMessageBytes) {
        this.endpoint = endpoint;
        this.connections = connections;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        admission = endpoint.admit(prologue, headers, this);
        compressed = endpoint.settings.permessageDeflate()
                && PermessageDeflate.offered(headers.first(EXTENSIONS).orElse(null));
        if (!compressed) {
            return Optional.empty();
        }
        WritableHeaders<?> agreed = WritableHeaders.create();
        agreed.set(EXTENSIONS, PermessageDeflate.AGREED);
        return Optional.of(agreed);
    }

    @Override
    public void onOpen(WsSession session) {
        connection = endpoint.open(this, session, admission, compressed);
        admission = null;
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        Connection c = live();
        if (c == null) {
            return;
        }
        // A character is at least one UTF-8 byte: too many characters is too many bytes.
        if (c.pendingChars() + text.length() > maxMessageBytes) {
            c.dropFragments();
            connections.close(c, CloseReason.MESSAGE_TOO_BIG);
            return;
        }
        String message = c.assemble(text, last);
        if (message == null) {
            return;
        }
        if (message.length() * 3L > maxMessageBytes && utf8Length(message) > maxMessageBytes) {
            connections.close(c, CloseReason.MESSAGE_TOO_BIG);
            return;
        }
        connections.metrics().received();
        ClientError refused;
        try {
            JsonNode node = READER.readTree(message);
            if (node == null || !node.isObject()) {
                throw new ClientError(ClientError.INVALID_MESSAGE, "a message is one JSON object");
            }
            endpoint.handle(c, node);
            return;
        } catch (JsonProcessingException e) {
            refused = new ClientError(ClientError.INVALID_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (ClientError e) {
            refused = e;
        } catch (RuntimeException e) {
            // A bug of ours must not reach Helidon: it would write a close frame from this thread while the
            // connection's writer may be writing, and interleaved bytes corrupt the stream.
            LOG.log(System.Logger.Level.WARNING, "websocket: handling a message of " + c + " failed", e);
            connections.lost(c, e);
            return;
        }
        connections.offer(c, endpoint.error(refused));
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        Connection c = live();
        if (c != null && last) {
            connections.offer(c, endpoint.error(new ClientError(ClientError.UNSUPPORTED_BINARY,
                                                                "binary messages are not supported; send JSON text")));
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        Connection c = live();
        if (c != null) {
            byte[] data = new byte[buffer.available()];
            buffer.read(data);
            connections.offer(c, WsFrames.pong(data));
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        live();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        Connection c = connection;
        if (c != null) {
            connections.closedByClient(c, status, reason);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        Connection c = connection;
        if (t instanceof java.io.UncheckedIOException || t instanceof java.io.IOException) {
            // the client went away: part of normal operation, one line without a trace
            LOG.log(System.Logger.Level.DEBUG, () -> "websocket: " + (c == null ? "a connection" : c) + " lost: " + t);
        } else {
            LOG.log(System.Logger.Level.WARNING, "websocket: " + (c == null ? "a connection" : c) + " failed: " + t, t);
        }
        if (c != null) {
            connections.lost(c, t);
        }
    }

    /** The connection, when it is open and the frame is within the rate; the frame counts as life either way. */
    private Connection live() {
        Connection c = connection;
        if (c == null || c.state() != Connection.State.OPEN) {
            return null;
        }
        long now = System.nanoTime();
        c.heard(now);
        if (!c.withinRate(now)) {
            connections.close(c, CloseReason.RATE_LIMIT);
            return null;
        }
        return c;
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
