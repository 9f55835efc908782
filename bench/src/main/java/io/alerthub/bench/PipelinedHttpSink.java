package io.alerthub.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * POST {@code /api/v1/events} over a keep-alive HTTP/1.1 connection, pipelined: requests go out at their due time
 * without waiting for the previous answer (up to {@link #WINDOW} unanswered), and a reader thread matches the
 * answers, which HTTP/1.1 returns in order. A server that answers slowly therefore shows as send lag and latency,
 * not as a publisher that quietly sends less. 202 is acceptance (the hub's: the event is durable). A connection
 * the server closed while it was idle (Node closes them after 5 s) is opened again on the next send.
 *
 * <p>With a window of 1 it is the <em>sequential</em> producer, as most producers post: one request at a time,
 * each written only after the previous one's answer.
 */
final class PipelinedHttpSink implements EventSink {

    static final int WINDOW = 64;

    private final Server server;
    private final byte[] head;
    private final int windowSize;
    private final Semaphore window;
    private Link link;

    PipelinedHttpSink(Server server) {
        this(server, WINDOW);
    }

    /** @param windowSize requests written and not yet answered, at most (1: each waits for the previous answer) */
    PipelinedHttpSink(Server server, int windowSize) {
        this.server = server;
        this.windowSize = windowSize;
        this.window = new Semaphore(windowSize);
        this.head = ("POST /api/v1/events HTTP/1.1\r\nHost: " + Server.HOST + ":" + server.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
        this.link = new Link();
    }

    /** One TCP connection and the reader thread matching its answers. */
    private final class Link {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ArrayBlockingQueue<Outcome> unanswered = new ArrayBlockingQueue<>(windowSize);
        private final Thread reader;
        private volatile String broken;

        Link() {
            try {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(Server.HOST, server.port()), 10_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            } catch (IOException e) {
                throw new BenchException("cannot connect to " + server + ": " + e.getMessage());
            }
            reader = Thread.ofPlatform().daemon().name("publisher-answers").start(this::readAnswers);
        }

        /** Synchronized with {@link #fail}: an outcome is either failed there or queued for the reader. */
        synchronized void send(byte[] request, Outcome outcome) {
            if (broken != null) {
                window.release();
                outcome.failed(broken);
                return;
            }
            unanswered.add(outcome);
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                fail("the connection failed: " + e.getMessage());
            }
        }

        private void readAnswers() {
            try {
                while (true) {
                    HttpResponses.Response r = HttpResponses.read(in);
                    Outcome o = unanswered.poll();
                    if (o == null) {
                        throw new IOException("an answer to no request");
                    }
                    window.release();
                    if (r.status() == 202) {
                        o.accepted();
                    } else {
                        o.failed("HTTP " + r.status() + " " + r.text());
                    }
                    if (r.closes()) {
                        throw new IOException("the server closed the connection");
                    }
                }
            } catch (IOException e) {
                fail(socket.isClosed() ? "the connection was closed" : e.getMessage());
            }
        }

        private synchronized void fail(String why) {
            if (broken == null) {
                broken = why;
            }
            Outcome o;
            while ((o = unanswered.poll()) != null) {
                o.failed(why);
                window.release();
            }
            close();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void send(int characteristic, long pseq, Outcome outcome) {
        if (acquire(outcome)) {
            post(SamplePayload.event(characteristic, pseq, SamplePayload.epochNanos()), outcome);
        }
    }

    @Override
    public void send(int[] characteristics, long[] pseqs, long sentNanos, Outcome outcome) {
        if (acquire(outcome)) {
            post(SamplePayload.batch(characteristics, pseqs, sentNanos), outcome);
        }
    }

    /** Waits for room in the window, and for a connection; {@code false} (the outcome failed) when none opens. */
    private boolean acquire(Outcome outcome) {
        window.acquireUninterruptibly();
        if (link.broken != null) {
            // Everything sent on it has been answered or failed (the window is ours again): open a new one.
            link.close();
            try {
                link = new Link();
            } catch (BenchException e) {
                window.release();
                outcome.failed(e.getMessage());
                return false;
            }
        }
        return true;
    }

    private void post(byte[] body, Outcome outcome) {
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        link.send(request, outcome);
    }

    @Override
    public void awaitAnswers(Duration timeout) {
        try {
            if (window.tryAcquire(windowSize, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                window.release(windowSize);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        link.close();
        try {
            link.reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
