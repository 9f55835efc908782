package io.alerthub.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SessionTransport} writes frames built once per event straight to the socket under Helidon's session: it
 * relies on Helidon's server session giving its {@code ConnectionContext} (data writer, socket). This test runs it on
 * a bare Helidon server with the JDK's client, so a Helidon upgrade that changes what is under a session fails here,
 * by name, before anything else does.
 */
class SessionTransportTest {

    @Test
    void preBuiltFramesAndTheCloseReachAClientThroughHelidonsSession() throws Exception {
        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .addRouting(WsRouting.builder().endpoint("/raw", () -> new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        try {
                            SessionTransport transport = SessionTransport.create(session);
                            byte[] one = WsFrames.text("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                            byte[] two = WsFrames.text("{\"n\":2}".getBytes(StandardCharsets.UTF_8));
                            byte[] both = new byte[one.length + two.length];
                            System.arraycopy(one, 0, both, 0, one.length);
                            System.arraycopy(two, 0, both, one.length, two.length);
                            transport.write(both, both.length);
                            transport.close(1000, "done");
                        } catch (Throwable t) {
                            serverFailure.set(t);
                            session.close(1011, "SessionTransport failed: " + t);
                        }
                    }
                }))
                .build()
                .start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            List<String> texts = new ArrayList<>();
            CountDownLatch closed = new CountDownLatch(1);
            AtomicReference<String> close = new AtomicReference<>();
            client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/raw"),
                                                    new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    synchronized (texts) {
                        texts.add(data.toString());
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                    close.set(code + " " + reason);
                    closed.countDown();
                    return CompletableFuture.completedFuture(null);
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the close frame arrives");
            assertEquals(null, serverFailure.get(), "Helidon's session still has a ConnectionContext under it");
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), texts, "two frames in one write arrive as two messages");
            assertEquals("1000 done", close.get());
        } finally {
            server.stop();
        }
    }
}
