package io.alerthub.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.alerthub.core.testing.HubClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A WebSocket client of one instance ({@code /ws}, the JDK's client), keeping every message it was sent, in order.
 * A client of the contract, not of the implementation: it sees what a dashboard sees.
 */
final class WsProbe implements AutoCloseable {

    private static final Set<String> CONTROL = Set.of("welcome", "subscribed", "ping", "pong", "replay_gap", "error");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String name;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsProbe(String name, int port, String path, String query) {
        this.name = name;
        this.socket = CLIENT.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path + (query.isEmpty() ? "" : "?" + query)),
                            new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to the instance on {@code port} with a first subscription (and maybe {@code since}) as a query. */
    static WsProbe connect(String name, int port, String query) {
        return new WsProbe(name, port, "/ws", query);
    }

    /** Connects to OpenSPC's endpoint ({@code /ws/samples}) of the instance on {@code port}. */
    static WsProbe openSpc(String name, int port) {
        return new WsProbe(name, port, "/ws/samples", "");
    }

    /** Everything received, in order. */
    List<JsonNode> messages() {
        return messages;
    }

    /** The events received (not the hub's own messages), in order. */
    List<JsonNode> events() {
        return messages.stream().filter(m -> !CONTROL.contains(m.path("type").asText())).toList();
    }

    /** The alarm_update events received (a broadcast type: every connection gets them), in order. */
    List<JsonNode> alarmUpdates() {
        return of("alarm_update");
    }

    /** The seqs of the events received, in order. */
    List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (JsonNode e : events()) {
            out.add(e.get("seq").asLong());
        }
        return out;
    }

    /** The messages of one of the hub's own types ({@code ping}, {@code replay_gap}, ...). */
    List<JsonNode> of(String type) {
        return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    /** The close code, once the server closed the connection. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    void send(String json) {
        socket.sendText(json, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
        socket.abort();
    }

    @Override
    public String toString() {
        return "client " + name;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(HubClient.json(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
