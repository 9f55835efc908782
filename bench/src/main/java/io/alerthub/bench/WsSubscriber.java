package io.alerthub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket subscriber on the JDK's client ({@link java.net.http.WebSocket}): used where connections, not
 * deliveries, are what is measured (the churn scenario), and by {@code --ws-client jdk}. Helidon 4.5 no longer
 * ships its WebSocket client to this registry, and the JDK's is the one every Java user has.
 */
final class WsSubscriber extends Subscriber implements WebSocket.Listener {

    private static final String PONG = "{\"type\":\"pong\"}";

    private volatile WebSocket socket;
    private StringBuilder fragments;

    WsSubscriber(int topic, LatencyRecorder latency) {
        super(topic, latency);
    }

    /** One client for many connections: it owns a selector thread and an executor. */
    static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Opens the connection and waits for the handshake (not for the subscription: see {@link #awaitReady}). */
    void connect(HttpClient client, URI uri) {
        try {
            client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this)
                    .get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while connecting to " + uri);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            throw new BenchException("cannot connect to " + uri + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new BenchException("no WebSocket handshake from " + uri + " in 15 s");
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String message = data.toString();
        if (!last || fragments != null) {
            if (fragments == null) {
                fragments = new StringBuilder(message);
                webSocket.request(1);
                return null;
            }
            fragments.append(message);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            message = fragments.toString();
            fragments = null;
        }
        onMessage(message, () -> webSocket.sendText(PONG, true));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed("closed by the server: " + statusCode + " " + reason);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed("connection failed: " + error);
    }

    @Override
    void close() {
        WebSocket s = socket;
        closed("closed by the generator");
        if (s != null) {
            s.sendClose(1000, "bench done").orTimeout(5, TimeUnit.SECONDS).whenComplete((w, t) -> {
                if (t != null) {
                    s.abort();
                }
            });
        }
    }
}
