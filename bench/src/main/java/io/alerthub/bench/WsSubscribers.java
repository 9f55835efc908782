package io.alerthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import java.net.URI;
import java.net.http.HttpClient;

/**
 * N WebSocket subscribers on one server, spread over a scenario's topics (subscriber {@code i} listens to topic
 * {@code i mod topics}), on the generator's NIO client or on the JDK's. Opening waits until every one is
 * subscribed; the first failure stops the scenario.
 */
final class WsSubscribers implements AutoCloseable {

    /** Which WebSocket client the subscribers use. */
    enum ClientKind { NIO, JDK }

    /** Connects in flight at once: fast, without flooding the server's accept queue. */
    private static final int PARALLEL_CONNECTS = 32;

    private final Server server;
    private final ClientKind kind;
    private final LatencyRecorder latency;
    private final NioWebSockets nio;
    private final HttpClient jdk;
    private final List<Subscriber> subscribers = new ArrayList<>();

    private WsSubscribers(Server server, ClientKind kind, NioWebSockets.Setup setup, int readerThreads,
                          LatencyRecorder latency) {
        this.server = server;
        this.kind = kind;
        this.latency = latency;
        this.nio = kind == ClientKind.NIO ? new NioWebSockets(readerThreads, setup) : null;
        this.jdk = kind == ClientKind.JDK ? WsSubscriber.client() : null;
    }

    static WsSubscribers open(Server server, ClientKind kind, int readerThreads, int count, int topics,
                              LatencyRecorder latency, Duration timeout) {
        return open(server, kind, NioWebSockets.Setup.PLAIN, readerThreads, count, topics, latency, timeout);
    }

    /** The same, on the NIO client connecting as {@code setup} says (the JDK's client ignores it). */
    static WsSubscribers open(Server server, ClientKind kind, NioWebSockets.Setup setup, int readerThreads, int count,
                              int topics, LatencyRecorder latency, Duration timeout) {
        WsSubscribers pool = new WsSubscribers(server, kind, setup, readerThreads, latency);
        List<Subscriber> fresh = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fresh.add(pool.create(i % topics));
        }
        pool.subscribers.addAll(fresh);
        try {
            pool.connect(fresh, timeout);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    private Subscriber create(int topic) {
        return kind == ClientKind.NIO ? new NioSubscriber(topic, latency) : new WsSubscriber(topic, latency);
    }

    private void connect(List<Subscriber> subs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore inFlight = new Semaphore(PARALLEL_CONNECTS);
        AtomicReference<String> failure = new AtomicReference<>();
        try (ExecutorService connects = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Subscriber s : subs) {
                inFlight.acquireUninterruptibly();
                if (failure.get() != null) {
                    inFlight.release();
                    break;
                }
                connects.submit(() -> {
                    try {
                        String path = server.wsPath(Topics.characteristic(s.topic()));
                        if (s instanceof NioSubscriber n) {
                            n.connected(nio.connect(Server.HOST, server.port(), path, n));
                        } else {
                            ((WsSubscriber) s).connect(jdk, server.wsUri(path));
                        }
                        if (!s.awaitReady(deadline - System.nanoTime())) {
                            failure.compareAndSet(null, s.isClosed() ? s.closeReason()
                                    : "no 'subscribed' within " + timeout.toSeconds() + " s");
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw new BenchException("cannot open " + subs.size() + " WebSocket subscribers on " + server + ": "
                                             + failure.get());
        }
    }

    /** Replaces the subscribers the server closed (a failed step), so that the next step starts whole. */
    int reopenClosed(Duration timeout) {
        List<Subscriber> fresh = new ArrayList<>();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber s = subscribers.get(i);
            if (s.isClosed()) {
                Subscriber again = create(s.topic());
                subscribers.set(i, again);
                fresh.add(again);
            }
        }
        if (!fresh.isEmpty()) {
            connect(fresh, timeout);
        }
        return fresh.size();
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    /** The NIO client's counters (bytes read, compressed messages); empty on the JDK's client. */
    java.util.Optional<NioWebSockets> nio() {
        return java.util.Optional.ofNullable(nio);
    }

    /** Closes every connection (close frame; the server ends the TCP connection), then the client's threads. */
    @Override
    public void close() {
        for (Subscriber s : subscribers) {
            s.close();
        }
        if (nio != null) {
            awaitClosed(Duration.ofSeconds(5));
            nio.close();
        }
        if (jdk != null) {
            jdk.close();
        }
    }

    private void awaitClosed(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Subscriber s : subscribers) {
            while (s instanceof NioSubscriber n && !n.disconnected() && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
