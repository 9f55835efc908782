package io.alerthub.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.alerthub.spi.Health;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Throughput and loss through a real hub to the local Mosquitto, counted by a Paho subscriber. Not part of the
 * suite (tag {@code measurement}); run it with
 * {@code mvn -pl plugin-mqtt test -Dtest=PublishRateMeasurement -Dgroups=measurement -Dmeasurement.excludedGroups=none}. Results are printed and written to
 * {@code target/mqtt-measurement.txt}.
 */
@Tag("measurement")
class PublishRateMeasurement {

    private static final int EVENTS = Integer.getInteger("measurement.events", 100_000);
    private static final int BATCH = 1000;
    private static final Duration WAIT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void sustainedRateAtQos0AndQos1() throws Exception {
        TestBroker broker = Brokers.shared();
        StringBuilder report = new StringBuilder("broker: " + broker + ", " + EVENTS + " events posted in batches of "
                                                         + BATCH + "\n");
        for (int qos : new int[]{0, 1}) {
            String prefix = "rate/" + UUID.randomUUID();
            try (Counter counter = new Counter(broker.uri(), prefix + "/#", qos, false);
                 HubHarness hub = HubHarness.start(dir.resolve("qos" + qos), """
                         broker-uri: %s
                         client-id: rate-%s
                         session-expiry: 0s
                         topic-template: "%s/{characteristic_id}/{type}"
                         qos: { default: %d, sample: %d }
                         """.formatted(broker.uri(), UUID.randomUUID(), prefix, qos, qos))) {
                hub.awaitState(Health.State.UP, Duration.ofSeconds(30));
                long start = System.nanoTime();
                Thread producer = Thread.ofVirtual().start(() -> postAll(hub, EVENTS, 0));
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5))
                        .until(() -> hub.mqtt().details().get("published").equals((long) EVENTS));
                long acknowledged = System.nanoTime();
                producer.join();
                await().atMost(WAIT).until(() -> counter.count() >= EVENTS
                        || (qos == 0 && counter.quietFor(Duration.ofSeconds(2))));
                long done = counter.lastNanos();
                double brokerRate = EVENTS / seconds(acknowledged - start);
                double endToEnd = counter.count() / seconds(done - start);
                double sustained = (counter.count() - 1) / seconds(done - counter.firstNanos());
                String line = String.format(Locale.ROOT,
                        "QoS %d: the broker took all %d events %.1f s after the first POST (%.0f msg/s hub to broker);"
                                + " the subscriber received %d (%d lost, %d out of order) at %.0f msg/s end to end,"
                                + " %.0f msg/s sustained (first to last message); broker refusals %s",
                        qos, EVENTS, seconds(acknowledged - start), brokerRate, counter.count(),
                        EVENTS - counter.distinct(), counter.outOfOrder(), endToEnd, sustained,
                        hub.mqtt().details().get("publish_failures"));
                report.append(line).append('\n');
                System.out.println(line);
                if (qos == 1) {
                    assertEquals(EVENTS, counter.distinct(), "nothing lost at QoS 1");
                }
            }
        }
        write(report.toString());
    }

    @Test
    void lossAcrossABrokerRestartAtQos1() throws Exception {
        int events = Math.min(EVENTS, 20_000);
        try (TestBroker broker = Brokers.owned(dir.resolve("broker"), BrokerOptions.plain().withUnlimitedQueues())) {
            String prefix = "restart/" + UUID.randomUUID();
            try (Counter counter = new Counter(broker.uri(), prefix + "/#", 1, true);
                 HubHarness hub = HubHarness.start(dir.resolve("hub"), """
                         broker-uri: %s
                         topic-template: "%s/{characteristic_id}/{type}"
                         reconnect-min-delay: 100ms
                         reconnect-max-delay: 1s
                         """.formatted(broker.uri(), prefix))) {
                hub.awaitState(Health.State.UP, Duration.ofSeconds(30));
                Thread producer = Thread.ofVirtual().start(() -> postAll(hub, events, 0));
                await().atMost(WAIT).until(() -> counter.count() >= events / 3);
                long before = System.nanoTime();
                broker.stop();
                long receivedAtStop = counter.count();
                hub.awaitState(Health.State.DEGRADED, Duration.ofSeconds(30));
                broker.start();
                long outage = System.nanoTime() - before;
                producer.join();
                await().atMost(WAIT).until(() -> counter.distinct() >= events
                        || (hub.mqtt().lag() == 0 && hub.mqtt().details().get("held").equals(0)
                        && counter.quietFor(Duration.ofSeconds(5))));
                String line = String.format(Locale.ROOT,
                        "broker restart at QoS 1 (%s, stopped after %d received, away %.1f s): %d events, %d received,"
                                + " %d distinct, %d lost, %d duplicates (%d redelivered by the broker with DUP),"
                                + " first arrivals out of order: %d; plugin: %s",
                        broker, receivedAtStop, seconds(outage), events, counter.count(), counter.distinct(),
                        events - counter.distinct(), counter.count() - counter.distinct(), counter.dupFlagged(),
                        counter.outOfOrder(), hub.mqtt().details());
                System.out.println(line);
                write(line + "\n");
                assertEquals(events, counter.distinct(), "nothing lost at QoS 1 across a broker restart");
            }
        }
    }

    private static void postAll(HubHarness hub, int events, int from) {
        List<String> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < events; i++) {
            batch.add("{\"type\":\"violation\",\"characteristic_id\":" + ((from + i) % 50)
                              + ",\"payload\":{\"violation_id\":" + (from + i) + ",\"value\":12.5}}");
            if (batch.size() == BATCH || i == events - 1) {
                hub.post(batch);
                batch.clear();
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void write(String text) throws IOException {
        Path out = Path.of("target", "mqtt-measurement.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** A Paho subscriber that only counts (a list of 100,000 messages would measure the list). */
    private static final class Counter extends MessageCallback implements AutoCloseable {
        private final MqttAsyncClient client;
        private final BitSet seen = new BitSet();
        private final AtomicLong count = new AtomicLong();
        private long distinct;
        private long outOfOrder;
        private long dupFlagged;
        private long highest;
        private volatile long first;
        private volatile long last;

        Counter(String uri, String filter, int qos, boolean persistent) throws MqttException {
            client = new MqttAsyncClient(uri, "counter-" + UUID.randomUUID(), new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(!persistent);
            o.setSessionExpiryInterval(persistent ? 600L : 0L);
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 1);
            o.setReceiveMaximum(65_535);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(new MqttSubscription(filter, qos)).waitForCompletion(10_000);
        }

        @Override
        public synchronized void messageArrived(String topic, MqttMessage message) {
            long now = System.nanoTime();
            if (count.getAndIncrement() == 0) {
                first = now;
            }
            last = now;
            long seq = -1;
            for (UserProperty p : message.getProperties().getUserProperties()) {
                if (p.getKey().equals("seq")) {
                    seq = Long.parseLong(p.getValue());
                }
            }
            if (message.isDuplicate()) {
                dupFlagged++;
            }
            if (!seen.get((int) seq)) {
                seen.set((int) seq);
                distinct++;
                if (seq < highest) {
                    outOfOrder++;
                }
                highest = Math.max(highest, seq);
            }
        }

        long count() {
            return count.get();
        }

        synchronized long distinct() {
            return distinct;
        }

        synchronized long outOfOrder() {
            return outOfOrder;
        }

        synchronized long dupFlagged() {
            return dupFlagged;
        }

        long firstNanos() {
            return first;
        }

        long lastNanos() {
            return last;
        }

        boolean quietFor(Duration d) {
            return count.get() > 0 && System.nanoTime() - last > d.toNanos();
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
            client.close(true);
        }
    }
}
