package io.alerthub.bench;

/** A WebSocket subscriber on the generator's own NIO client ({@link NioWebSockets}). */
final class NioSubscriber extends Subscriber implements NioWebSockets.Handler {

    private static final String PONG = "{\"type\":\"pong\"}";

    private volatile NioWebSockets.Connection connection;
    private volatile boolean disconnected;

    NioSubscriber(int topic, LatencyRecorder latency) {
        super(topic, latency);
    }

    void connected(NioWebSockets.Connection c) {
        this.connection = c;
    }

    @Override
    public void onText(byte[] a, int offset, int length, NioWebSockets.Connection c) {
        onMessage(a, offset, length, () -> c.sendText(PONG));
    }

    @Override
    public void onClose(String reason) {
        closed(reason);
        disconnected = true;
    }

    /** Whether the socket is gone (after the close handshake, or lost). */
    boolean disconnected() {
        return disconnected || connection == null;
    }

    @Override
    void close() {
        NioWebSockets.Connection c = connection;
        closed("closed by the generator");
        if (c != null) {
            c.close();
        }
    }
}
