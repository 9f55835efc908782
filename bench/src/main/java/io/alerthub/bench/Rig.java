package io.alerthub.bench;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server wired for a load scenario: its WebSocket subscribers, a publisher over its HTTP API, the scenario's
 * topics and a latency recorder. Each server of a scenario has its own, so steps can alternate between servers.
 */
final class Rig implements AutoCloseable {

    /**
     * How the publisher posts to the server's HTTP API.
     *
     * @param connections publishing connections at most; topics are divided among them
     * @param batch       events per request
     * @param window      requests written and not yet answered, per connection
     */
    enum Publishing {
        /** The load of every scenario: up to 8 connections, one event per request, pipelined. */
        PIPELINED(8, 1, PipelinedHttpSink.WINDOW, "pipelined"),
        /** As most producers post: one connection, 10 events per request, each after the previous answer. */
        SEQUENTIAL(1, 10, 1, "sequential");

        final int connections;
        final int batch;
        final int window;
        final String label;

        Publishing(int connections, int batch, int window, String label) {
            this.connections = connections;
            this.batch = batch;
            this.window = window;
            this.label = label;
        }
    }

    private final Server server;
    private final Topics topics;
    private final LatencyRecorder recorder;
    private final WsSubscribers subscribers;
    private final Map<Publishing, RatePublisher> publishers = new EnumMap<>(Publishing.class);
    private final Duration connectTimeout;

    private Rig(Server server, Topics topics, LatencyRecorder recorder, WsSubscribers subscribers,
                RatePublisher publisher, Duration connectTimeout) {
        this.server = server;
        this.topics = topics;
        this.recorder = recorder;
        this.subscribers = subscribers;
        this.publishers.put(Publishing.PIPELINED, publisher);
        this.connectTimeout = connectTimeout;
    }

    static Rig open(Server server, WsSubscribers.ClientKind client, int readerThreads, int subscriberCount,
                    int topicCount) {
        return open(server, client, NioWebSockets.Setup.PLAIN, readerThreads, subscriberCount, topicCount);
    }

    /** The same, with the NIO client connecting as {@code setup} says (permessage-deflate offered, for one). */
    static Rig open(Server server, WsSubscribers.ClientKind client, NioWebSockets.Setup setup, int readerThreads,
                    int subscriberCount, int topicCount) {
        Topics topics = new Topics(topicCount);
        Duration timeout = Duration.ofSeconds(30 + subscriberCount / 100);
        LatencyRecorder latency = new LatencyRecorder();
        WsSubscribers subs = WsSubscribers.open(server, client, setup, readerThreads, subscriberCount, topicCount,
                                                latency, timeout);
        RatePublisher pub;
        try {
            pub = publisher(server, topics, Publishing.PIPELINED);
        } catch (RuntimeException e) {
            subs.close();
            throw e;
        }
        return new Rig(server, topics, latency, subs, pub, timeout);
    }

    Server server() {
        return server;
    }

    int subscriberCount() {
        return subscribers.subscribers().size();
    }

    /** The subscribers' connections. */
    WsSubscribers subscribers() {
        return subscribers;
    }

    private static RatePublisher publisher(Server server, Topics topics, Publishing how) {
        return new RatePublisher(() -> new PipelinedHttpSink(server, how.window), topics, how.connections, how.batch);
    }

    /** Publishes at {@code rate} for {@code duration} and accounts for every delivery. */
    Measurement step(double rate, Duration duration, Duration drain) {
        return step(Publishing.PIPELINED, rate, duration, drain);
    }

    /** A step with the publisher posting {@code how}; events per second, whatever the batch. */
    Measurement step(Publishing how, double rate, Duration duration, Duration drain) {
        RatePublisher publisher = publishers.computeIfAbsent(how, h -> publisher(server, topics, h));
        return LoadStep.run(server, subscribers.subscribers(), publisher, topics, recorder, rate, duration, drain);
    }

    /**
     * Gets ready for the next step after a failed one: replaces subscribers the server closed and waits until the
     * server has nothing left to deliver (no delivery for a quarter of a second, at most {@code max}).
     *
     * @return how many subscribers were replaced
     */
    int recover(Duration max) {
        awaitQuiet(max);
        int replaced = subscribers.reopenClosed(connectTimeout);
        if (!server.alive()) {
            throw new BenchException(server.label() + " exited; see " + server.log());
        }
        return replaced;
    }

    private void awaitQuiet(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long last = total();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = total();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(250)) {
                return;
            }
        }
    }

    private long total() {
        long n = 0;
        List<Subscriber> subs = subscribers.subscribers();
        for (Subscriber s : subs) {
            n += s.received();
        }
        return n;
    }

    @Override
    public void close() {
        publishers.values().forEach(RatePublisher::close);
        subscribers.close();
    }
}
