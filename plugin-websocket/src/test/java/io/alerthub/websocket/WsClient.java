package io.alerthub.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket client (the JDK's {@link java.net.http.WebSocket}) that collects every text message as JSON.
 * The hub's heartbeat {@code ping} messages are kept apart from the others, so tests read the rest in order.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** How the server closed the connection. */
    record Close(int code, String reason) {
    }

    /** A refused upgrade: its HTTP status and body. */
    record Refused(int status, String body, Map<String, List<String>> headers) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> pings = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger protocolPings = new AtomicInteger();
    private volatile boolean answerPings;
    private WebSocket ws;

    private WsClient() {
    }

    static WsClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    static WsClient connect(URI uri, Map<String, String> headers) {
        WsClient client = new WsClient();
        try {
            client.ws = builder(headers).buildAsync(uri, client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot connect to " + uri + ": " + e, e);
        }
        return client;
    }

    /** Starts connecting without waiting (for many connections at once). */
    static CompletableFuture<WsClient> connectAsync(URI uri) {
        WsClient client = new WsClient();
        return builder(Map.of()).buildAsync(uri, client).thenApply(ws -> {
            client.ws = ws;
            return client;
        });
    }

    /** Expects the upgrade to be refused; returns the HTTP answer. */
    static Refused refused(URI uri, Map<String, String> headers) {
        try {
            WebSocket ws = builder(headers).buildAsync(uri, new WsClient()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the upgrade to " + uri + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                var r = h.getResponse();
                return new Refused(r.statusCode(), String.valueOf(r.body()), r.headers().map());
            }
            throw new AssertionError("expected a refused handshake, got " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from " + uri, e);
        }
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        return b;
    }

    /** Answer every server {@code ping} with {@code {"type":"pong"}}. */
    WsClient answeringPings() {
        answerPings = true;
        return this;
    }

    void send(String json) {
        ws.sendText(json, true).join();
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next message that is not a heartbeat {@code ping}. */
    JsonNode next() {
        return next(WAIT);
    }

    JsonNode next(Duration timeout) {
        try {
            JsonNode m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                fail("no message within " + timeout + (closed.isDone() ? "; closed: " + closed.join() : ""));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message of that type, skipping others. */
    JsonNode next(String type) {
        return next(m -> m.path("type").asText().equals(type));
    }

    JsonNode next(Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no matching message within " + WAIT);
            }
            JsonNode m = next(Duration.ofNanos(left));
            if (wanted.test(m)) {
                return m;
            }
        }
    }

    /** A heartbeat {@code ping} from the hub. */
    JsonNode nextPing() {
        try {
            JsonNode p = pings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(p, "no ping within " + WAIT);
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int pingsReceived() {
        return pings.size();
    }

    /** Protocol-level pings received (the JDK answers each with a pong by itself, as browsers do). */
    int protocolPingsReceived() {
        return protocolPings.get();
    }

    /** Messages received so far and not yet read. */
    List<JsonNode> pending() {
        List<JsonNode> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    Close awaitClose() {
        try {
            return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed within " + WAIT, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode m = TestHub.parse(partial.toString());
            partial.setLength(0);
            if (m.path("type").asText().equals("ping") && m.has("last_seq")) {
                pings.add(m);
                if (answerPings) {
                    webSocket.sendText("{\"type\":\"pong\"}", true);
                }
            } else {
                messages.add(m);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        protocolPings.incrementAndGet();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Closes from the client's side (a normal close handshake). */
    @Override
    public void close() {
        if (ws != null && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            } catch (CompletionException e) {
                ws.abort();
            }
        }
    }
}
