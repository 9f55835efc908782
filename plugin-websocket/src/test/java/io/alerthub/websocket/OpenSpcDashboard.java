package io.alerthub.websocket;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * OpenSPC's dashboard client, {@code frontend/src/providers/WebSocketProvider.tsx} (djbrandl/OpenSPC at commit
 * af5f3f339b4925082dd92e266ca010f39ef1bb7d; line numbers below are that file's unless another is named), statement
 * by statement in Java, so the hub is tested against exactly what that client does: connect to
 * {@code /ws/samples?token=<encodeURIComponent(JWT)>}; on open, send one {@code subscribe} per characteristic; handle
 * {@code sample}, {@code violation}, {@code ack_update} and {@code limits_update} by reading the fields the React code
 * reads; on close, reconnect with exponential backoff and subscribe again. Only the delays are scaled down (the
 * original waits 1 s doubling up to 30 s).
 */
final class OpenSpcDashboard implements AutoCloseable {

    private static final long WS_RECONNECT_DELAY_BASE = 100;
    private static final long WS_RECONNECT_DELAY_MAX = 3000;

    /** What {@code updateLatestSample(characteristicId, mean, timestamp)} stores in the dashboard's state. */
    record LatestSample(double mean, String timestamp) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final String host;
    private final Supplier<String> getAccessToken;
    private final Set<Integer> subscriptionsRef = ConcurrentHashMap.newKeySet();
    private volatile WebSocket wsRef;
    private volatile long reconnectDelayRef = WS_RECONNECT_DELAY_BASE;
    private volatile boolean closed;

    // useDashboardStore() and the query client, as far as the provider touches them.
    volatile boolean wsConnected;
    final Map<Integer, LatestSample> latestSamples = new ConcurrentHashMap<>();
    final List<JsonNode> pendingViolations = new CopyOnWriteArrayList<>();
    final List<String> invalidatedQueries = new CopyOnWriteArrayList<>();
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    /** Every message that reached {@code onmessage}, for the test to wait on. */
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> opened = new LinkedBlockingQueue<>();

    OpenSpcDashboard(String host, Supplier<String> getAccessToken) {
        this.host = host;
        this.getAccessToken = getAccessToken;
    }

    void connect() {
        WebSocket current = wsRef;
        if (closed || current != null && !current.isInputClosed() && !current.isOutputClosed()) {
            return;
        }
        String token = getAccessToken.get();
        if (token == null) {
            timers.schedule(this::connect, WS_RECONNECT_DELAY_BASE, TimeUnit.MILLISECONDS);
            return;
        }
        String wsUrl = "ws://" + host + "/ws/samples?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).whenComplete((ws, error) -> {
            if (error != null) {
                // A browser fires onerror then onclose when the connection cannot be made.
                onclose();
            }
        });
    }

    void subscribe(int characteristicId) {
        subscriptionsRef.add(characteristicId);
        WebSocket ws = wsRef;
        if (wsConnected && ws != null) {
            ws.sendText("{\"type\":\"subscribe\",\"characteristic_ids\":[" + characteristicId + "]}", true).join();
        }
    }

    void unsubscribe(int characteristicId) {
        subscriptionsRef.remove(characteristicId);
        WebSocket ws = wsRef;
        if (wsConnected && ws != null) {
            ws.sendText("{\"type\":\"unsubscribe\",\"characteristic_ids\":[" + characteristicId + "]}", true).join();
        }
    }

    private void onopen(WebSocket ws) {
        wsRef = ws;
        wsConnected = true;
        reconnectDelayRef = WS_RECONNECT_DELAY_BASE;
        for (int id : subscriptionsRef) {
            ws.sendText("{\"type\":\"subscribe\",\"characteristic_ids\":[" + id + "]}", true).join();
        }
        opened.add(true);
    }

    /**
     * {@code handleMessage} (WebSocketProvider.tsx:34-87), reading what it reads. Each read is checked against the
     * type the React code is compiled against (frontend/src/types/index.ts), so a field that is missing, or of
     * another type, is a console error here: in the browser a missing one throws a TypeError into the same catch
     * (line 84), and one of another type ends up as wrong state.
     */
    void handleMessage(String data) {
        JsonNode message;
        try {
            message = TestHub.parse(data); // line 36: JSON.parse(event.data)
        } catch (RuntimeException e) {
            consoleErrors.add("Failed to parse WebSocket message: " + e);
            return;
        }
        try {
            switch (message.get("type").asText()) { // line 38
                case "sample" -> {
                    // lines 40-44: updateLatestSample(message.characteristic_id, message.sample.mean,
                    // message.sample.timestamp); types/index.ts:257 characteristic_id: number, :258 sample: Sample,
                    // :122 timestamp: string, :123 mean: number
                    int characteristicId = number(message, "characteristic_id").asInt();
                    JsonNode sample = object(message, "sample");
                    latestSamples.put(characteristicId, new LatestSample(number(sample, "mean").asDouble(),
                                                                         text(sample, "timestamp").asText()));
                    invalidatedQueries.add("characteristics/chartData/" + characteristicId); // line 46
                    invalidatedQueries.add("characteristics/detail/" + characteristicId); // line 49
                    invalidatedQueries.add("violations/stats"); // line 52
                    // lines 54-56: message.violations.forEach(addPendingViolation); types/index.ts:259 Violation[]
                    array(message, "violations").forEach(pendingViolations::add);
                }
                case "violation" -> {
                    // line 61: addPendingViolation(message.violation); types/index.ts:264 violation: Violation
                    pendingViolations.add(object(message, "violation"));
                    invalidatedQueries.add("violations/all"); // line 62
                }
                case "ack_update" -> {
                    // lines 66-72: reads nothing but the type
                    invalidatedQueries.add("violations/all");
                    invalidatedQueries.add("violations/stats");
                }
                case "limits_update" -> {
                    // lines 74-82: message.characteristic_id (types/index.ts:278 number)
                    int characteristicId = number(message, "characteristic_id").asInt();
                    invalidatedQueries.add("characteristics/detail/" + characteristicId);
                    invalidatedQueries.add("characteristics/chartData/" + characteristicId);
                }
                default -> {
                    // the provider ignores every other type (subscribed, pong, error)
                }
            }
        } catch (IllegalStateException e) {
            // In the browser, reading a field of undefined throws a TypeError, caught by the same try/catch.
            consoleErrors.add("Failed to parse WebSocket message: " + e.getMessage());
        }
        received.add(message);
    }

    /**
     * The store's {@code removePendingViolation(id)} (frontend/src/stores/dashboardStore.ts:183-186):
     * {@code pendingViolations.filter((v) => v.id !== id)}. A violation without {@code id} is never removed.
     */
    void removePendingViolation(JsonNode id) {
        pendingViolations.removeIf(v -> id.equals(v.get("id")));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalStateException("Cannot read properties of undefined (reading '" + field + "')");
        }
        return v;
    }

    private static JsonNode number(JsonNode node, String field) {
        return typed(node, field, required(node, field).isNumber(), "a number");
    }

    private static JsonNode text(JsonNode node, String field) {
        return typed(node, field, required(node, field).isTextual(), "a string");
    }

    private static JsonNode array(JsonNode node, String field) {
        return typed(node, field, required(node, field).isArray(), "an array");
    }

    private static JsonNode object(JsonNode node, String field) {
        return typed(node, field, required(node, field).isObject(), "an object");
    }

    private static JsonNode typed(JsonNode node, String field, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalStateException(field + " is not " + expected + ": " + node.get(field));
        }
        return node.get(field);
    }

    private void onclose() {
        wsConnected = false;
        if (closed) {
            return;
        }
        long delay = Math.min(reconnectDelayRef, WS_RECONNECT_DELAY_MAX);
        timers.schedule(() -> {
            reconnectDelayRef *= 2;
            connect();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            onopen(webSocket);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handleMessage(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            onclose();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            onclose();
        }
    }

    /** The provider's unmount: stop reconnecting and close. */
    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        WebSocket ws = wsRef;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
    }
}
