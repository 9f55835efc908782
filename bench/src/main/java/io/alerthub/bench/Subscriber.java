package io.alerthub.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What one subscriber (WebSocket or MQTT) counts. Every delivery is handled on the thread that read it: its
 * latency goes to the shared recorder, its {@code pseq} (the publisher's sequence on the subscriber's one topic) is
 * checked against the one expected, and the server's {@code seq}, when it sends one, must only grow.
 *
 * <p>The counters have a single writer (that thread) and are read by the step that measures them.
 */
abstract class Subscriber {

    private final int topic;
    private final LatencyRecorder latency;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile long received;
    private volatile long outOfOrder;
    private volatile long lastPseq;
    private long expectedPseq = -1;
    private long lastSeq;
    private volatile boolean closed;
    private volatile String closeReason;

    Subscriber(int topic, LatencyRecorder latency) {
        this.topic = topic;
        this.latency = latency;
    }

    /** Topic index (0-based) this subscriber listens to. */
    int topic() {
        return topic;
    }

    /** Closes the subscriber's connection. */
    abstract void close();

    /**
     * A WebSocket text message: an event is counted; the hub's heartbeat {@code ping} is answered (so that a long
     * run is not closed for silence); {@code subscribed} makes the subscriber ready; an {@code error} ends it.
     */
    final void onMessage(byte[] a, int offset, int length, Runnable pong) {
        if (onEvent(a, offset, length)) {
            return;
        }
        onControl(new String(a, offset, length, StandardCharsets.UTF_8), pong);
    }

    /** The same, for a client that hands over Strings. */
    final void onMessage(String message, Runnable pong) {
        if (onEvent(message)) {
            return;
        }
        onControl(message, pong);
    }

    private void onControl(String message, Runnable pong) {
        if (message.startsWith("{\"type\":\"ping\"")) {
            pong.run();
        } else if (message.startsWith("{\"type\":\"subscribed\"")) {
            ready();
        } else if (message.startsWith("{\"type\":\"error\"")) {
            closed("the server refused a message: " + message);
        }
    }

    /**
     * A message that may be an event, as bytes: handled and {@code true} when it carries the generator's stamps.
     * A scan, not a JSON parse: the generator reads some 100,000 messages a second. The stamps are at the end of
     * the payload, the server's {@code seq} near the start.
     */
    final boolean onEvent(byte[] a, int offset, int length) {
        int end = offset + length;
        int at = Stamps.indexOf(a, Stamps.SENT_NS, Math.max(offset, end - 96), end);
        if (at < 0) {
            at = Stamps.indexOf(a, Stamps.SENT_NS, offset, end);
            if (at < 0) {
                return false;
            }
        }
        long sent = Stamps.digits(a, at + Stamps.SENT_NS.length, end);
        int p = Stamps.indexOf(a, Stamps.PSEQ, at, end);
        long pseq = p < 0 ? -1 : Stamps.digits(a, p + Stamps.PSEQ.length, end);
        int s = Stamps.indexOf(a, Stamps.SEQ, offset, Math.min(end, offset + 64));
        long seq = s < 0 ? -1 : Stamps.digits(a, s + Stamps.SEQ.length, end);
        count(sent, pseq, seq);
        return true;
    }

    /** A message that may be an event, as a String (the JDK's client, MQTT). */
    final boolean onEvent(String m) {
        int at = m.lastIndexOf(SamplePayload.SENT_NS);
        if (at < 0) {
            return false;
        }
        long sent = SamplePayload.number(m, SamplePayload.SENT_NS, at);
        long pseq = SamplePayload.number(m, SamplePayload.PSEQ, at);
        int s = m.indexOf(SamplePayload.SEQ);
        long seq = s < 0 || s > 64 ? -1 : SamplePayload.number(m, SamplePayload.SEQ, s);
        count(sent, pseq, seq);
        return true;
    }

    private void count(long sent, long pseq, long seq) {
        long now = SamplePayload.epochNanos();
        latency.record((now - sent) / 1000);
        boolean inOrder = seq < 0 ? pseq >= expectedPseq : seq > lastSeq;
        if (!inOrder) {
            outOfOrder++;
        }
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        if (pseq >= expectedPseq) {
            expectedPseq = pseq + 1;
        }
        if (pseq > lastPseq) {
            lastPseq = pseq;
        }
        received++;
    }

    /** The server confirmed the subscription. */
    final void ready() {
        ready.countDown();
    }

    /** Waits for the server's confirmation; {@code false} when it did not come in time or the connection ended. */
    final boolean awaitReady(long timeoutNanos) throws InterruptedException {
        return ready.await(timeoutNanos, TimeUnit.NANOSECONDS) && !closed;
    }

    final void closed(String reason) {
        if (!closed) {
            closeReason = reason;
            closed = true;
        }
        ready.countDown();
    }

    long received() {
        return received;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    /** The highest publisher sequence received. */
    long lastPseq() {
        return lastPseq;
    }

    boolean isClosed() {
        return closed;
    }

    String closeReason() {
        return closeReason;
    }
}
