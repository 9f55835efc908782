package io.alerthub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * MQTT: the hub takes events over HTTP and publishes them to a private Mosquitto (the MQTT plugin); N Paho
 * subscribers read them there. The peer is the same broker fed directly by the generator with the same messages
 * ({@link MqttDirectSink}), so the difference is the hub. Needs {@code mosquitto} installed and the distribution's
 * {@code plugins/mqtt}.
 */
final class MqttScenario {

    static final int SUBSCRIBERS = 100;
    static final double RATE = 100;

    private final BenchContext ctx;
    private final Results results;
    private final Timing timing;

    MqttScenario(BenchContext ctx, Results results, Timing timing) {
        this.ctx = ctx;
        this.results = results;
        this.timing = timing;
    }

    /** Why the scenario cannot run here; {@code null} when it can. */
    String missing() {
        if (ctx.mosquitto().isEmpty()) {
            return "mosquitto is not installed";
        }
        if (!Files.isDirectory(ctx.dist().resolve("plugins/mqtt"))) {
            return "the distribution has no plugins/mqtt";
        }
        return null;
    }

    void run() {
        String id = "mqtt-" + SUBSCRIBERS;
        String title = SUBSCRIBERS + " MQTT subscribers, 1 topic, 100 events/s";
        Console.say("scenario " + id + ": " + title + " (hub -> Mosquitto, and Mosquitto fed directly)");
        int port = freePort();
        String broker = "tcp://" + Server.HOST + ":" + port;
        try (Server mosquitto = Server.mosquitto(ctx, "mosquitto", port);
             Server hub = Server.alertHub(ctx, "alerthub-mqtt", ctx.options().fsync(), Server.websocketPlugin() + """
                         mqtt:
                           enabled: true
                           broker-uri: %s
                           client-id: alerthub-bench
                     """.formatted(broker))) {
            LatencyRecorder viaHubLatency = new LatencyRecorder();
            LatencyRecorder directLatency = new LatencyRecorder();
            List<MqttSubscriber> viaHub = subscribers(broker, "hub", "alerthub/characteristic/1/sample",
                                                      viaHubLatency);
            List<MqttSubscriber> direct = subscribers(broker, "direct", "alerthub/characteristic/2/sample",
                                                      directLatency);
            Topics hubTopics = new Topics(1);
            Topics directTopics = new Topics(1);
            try (RatePublisher toHub = new RatePublisher(() -> new PipelinedHttpSink(hub), hubTopics, 1);
                 RatePublisher toBroker = new RatePublisher(() -> new MqttDirectSink(broker, "bench-publisher", 1),
                                                            directTopics, 1)) {
                // The hub is a JVM started for this scenario: the warm-up every JVM gets (LoadScenarios).
                LoadStep.run(hub, viaHub, toHub, hubTopics, viaHubLatency, RATE, timing.firstWarmup(),
                             timing.drain());
                LoadStep.run(mosquitto, direct, toBroker, directTopics, directLatency, RATE, timing.warmup(),
                             timing.drain());
                for (int rep = 1; rep <= ctx.options().repeat(); rep++) {
                    Measurement a = LoadStep.run(hub, viaHub, toHub, hubTopics, viaHubLatency, RATE,
                                                 timing.measure(), timing.drain());
                    results.fixedRate.add(new Results.FixedRate(id, title, "AlertHub -> Mosquitto", rep,
                                                                relabel(a, "AlertHub -> Mosquitto")));
                    Console.say("  " + Console.line(relabel(a, "AlertHub->MQTT")));
                    Measurement b = LoadStep.run(mosquitto, direct, toBroker, directTopics, directLatency, RATE,
                                                 timing.measure(), timing.drain());
                    results.fixedRate.add(new Results.FixedRate(id, title, "Mosquitto direct", rep,
                                                                relabel(b, "Mosquitto direct")));
                    Console.say("  " + Console.line(relabel(b, "Mosquitto")));
                }
            } finally {
                // all at once: one after another, 200 disconnects took 20 s of the quick run
                try (ExecutorService closing = Executors.newVirtualThreadPerTaskExecutor()) {
                    viaHub.forEach(sub -> closing.submit(sub::close));
                    direct.forEach(sub -> closing.submit(sub::close));
                }
            }
        }
    }

    private static Measurement relabel(Measurement m, String server) {
        return new Measurement(server, m.subscribers(), m.topics(), m.rate(), m.published(), m.publishFailures(),
                               m.seconds(), m.expected(), m.delivered(), m.lost(), m.outOfOrder(),
                               m.closedSubscribers(), m.deliveriesPerSecond(), m.p50Ms(), m.p90Ms(), m.p99Ms(),
                               m.p999Ms(), m.maxMs(), m.sendLagP99Ms(), m.serverRssMb(), m.serverCpuPercent(),
                               m.generatorCpuPercent(), m.machineBusyPercent(), m.firstError());
    }

    private List<MqttSubscriber> subscribers(String broker, String name, String topic, LatencyRecorder latency) {
        List<MqttSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subs.add(new MqttSubscriber(broker, "bench-" + name + "-" + i, latency));
        }
        try (ExecutorService connects = Executors.newFixedThreadPool(8)) {
            for (MqttSubscriber s : subs) {
                connects.submit(() -> s.subscribe(topic));
            }
        }
        for (MqttSubscriber s : subs) {
            try {
                if (!s.awaitReady(TimeUnit.SECONDS.toNanos(10))) {
                    subs.forEach(MqttSubscriber::close);
                    throw new BenchException("MQTT subscriber did not subscribe: " + s.closeReason());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted");
            }
        }
        return subs;
    }

    /** A port nothing listens on now (a private broker's, a private NATS's). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
