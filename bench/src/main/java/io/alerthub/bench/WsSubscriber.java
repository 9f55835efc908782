package io.alerthub.bench;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * A WebSocket subscriber on Helidon's client (a virtual thread per connection): used where connections, not
 * deliveries, are what is measured (the churn scenario), and by {@code --ws-client helidon}.
 */
final class WsSubscriber extends Subscriber implements WsListener {

    private static final String PONG = "{\"type\":\"pong\"}";

    private volatile WsSession session;
    private StringBuilder fragments;

    WsSubscriber(int topic, LatencyRecorder latency) {
        super(topic, latency);
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        String message = text;
        if (!last || fragments != null) {
            if (fragments == null) {
                fragments = new StringBuilder(text);
                return;
            }
            fragments.append(text);
            if (!last) {
                return;
            }
            message = fragments.toString();
            fragments = null;
        }
        onMessage(message, () -> session.send(PONG, true));
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        session.pong(buffer);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        closed("closed by the server: " + status + " " + reason);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        closed("connection failed: " + t);
    }

    @Override
    void close() {
        WsSession s = session;
        closed("closed by the generator");
        if (s != null) {
            try {
                s.close(1000, "bench done");
            } catch (RuntimeException e) {
                // the connection is already gone
            }
        }
    }
}
