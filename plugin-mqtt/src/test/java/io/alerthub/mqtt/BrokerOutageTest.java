package io.alerthub.mqtt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.alerthub.core.dispatch.PluginStatus;
import io.alerthub.spi.Health;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away and comes back (a broker the test owns: a private Mosquitto, or HiveMQ in-process): every
 * QoS 1 event arrives, in order, and nothing the hub accepted is lost, also when the hub restarts meanwhile.
 */
class BrokerOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_INFLIGHT = 10;
    private static final int STREAM = 600;
    private static final int BACKLOG = 200;

    @TempDir
    static Path brokerDir;
    @TempDir
    Path dir;
    /** One broker for the class (each test stops and starts it); every test has topics and a subscriber of its own. */
    private static TestBroker broker;
    private TestSubscriber subscriber;
    private HubHarness hub;
    private String prefix;

    @BeforeAll
    static void startBroker() {
        broker = Brokers.owned(brokerDir, BrokerOptions.plain());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void start() throws Exception {
        broker.start();
        prefix = "outage/" + UUID.randomUUID();
        subscriber = TestSubscriber.persistent(broker.uri(), prefix + "/#");
        hub = HubHarness.startWithRecorder(dir.resolve("hub"), """
                broker-uri: %s
                topic-template: "%s/{characteristic_id}/{type}"
                reconnect-min-delay: 100ms
                reconnect-max-delay: 500ms
                keep-alive: 5s
                max-inflight: %d
                client-id: hub-%s
                """.formatted(broker.uri(), prefix, MAX_INFLIGHT, UUID.randomUUID()));
        hub.awaitState(Health.State.UP, WAIT);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        subscriber.close();
    }

    private static List<String> violations(int n, int from) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // no violation_id: no alarm, so the stream is exactly these events (no alarm_update among them)
            events.add("{\"type\":\"violation\",\"characteristic_id\":" + (from + i) % 5
                               + ",\"payload\":{\"sample_id\":" + (from + i) + "}}");
        }
        return events;
    }

    /**
     * A producer streams events while the broker is stopped under it. It keeps at most {@value #BACKLOG} events
     * ahead of the subscriber, so the broker's own queue for the offline subscriber (1000 messages by default in
     * Mosquitto and HiveMQ) never overflows: what is measured is the hub, not the broker's queue limit.
     */
    @Test
    void brokerStoppedMidStreamAndRestarted() throws Exception {
        AtomicBoolean posting = new AtomicBoolean(true);
        AtomicReference<Throwable> postFailure = new AtomicReference<>();
        List<Long> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                while (posting.get() && posted.size() < STREAM) {
                    await().atMost(WAIT).until(() -> !posting.get()
                            || posted.size() - new HashSet<>(subscriber.seqs()).size() < BACKLOG);
                    if (posting.get()) {
                        posted.addAll(hub.post(violations(5, posted.size())));
                    }
                }
            } catch (Throwable t) {
                postFailure.set(t);
            }
        });

        subscriber.await(100, WAIT);
        broker.stop();
        // Everything accepted from here on was accepted while no broker existed: it can only arrive once.
        long lastBeforeStop = hub.hub().log().headSeq();
        posted.addAll(hub.post(violations(50, 100_000)));

        PluginStatus away = hub.awaitState(Health.State.DEGRADED, WAIT);
        assertTrue(away.reason().contains("lost") || away.reason().contains("unreachable"), away.reason());
        await("the lane falls behind while the broker is away").atMost(WAIT)
                .until(() -> hub.mqtt().lag() > 0 && hub.mqtt().reason().contains("events not yet on the broker"));
        assertEquals(200, hub.send("GET", "/api/v1/plugins", null).statusCode(), "the hub keeps serving");

        posting.set(false);
        producer.join();
        assertEquals(null, postFailure.get(), "every POST was accepted while the broker was away");
        long last = hub.hub().log().headSeq();
        assertEquals(last, posted.size());
        assertTrue(last > lastBeforeStop, "events were accepted during the outage");
        await("the other channel gets everything while MQTT is away").atMost(WAIT)
                .until(() -> RecordingProvider.DELIVERED.size() == last);
        assertEquals(Health.State.DEGRADED, hub.mqtt().state());

        broker.start();
        hub.awaitState(Health.State.UP, WAIT);
        awaitAll(last);

        List<TestSubscriber.Received> got = subscriber.received();
        assertEveryEventInOrder(got, last);
        int duplicates = 0;
        for (Map.Entry<Long, Integer> e : deliveries(got).entrySet()) {
            if (e.getKey() > lastBeforeStop) {
                assertEquals(1, e.getValue(), "seq " + e.getKey() + " was accepted during the outage: exactly once");
            }
            duplicates += e.getValue() - 1;
        }
        // Twice: what the hub had in flight (it publishes it again), and what the broker had in flight to the
        // subscriber (the broker sends it again after its own restart).
        assertTrue(duplicates <= MAX_INFLIGHT + TestSubscriber.RECEIVE_MAXIMUM,
                   "only what was in flight at the cut may come twice: " + duplicates);
        await().atMost(WAIT).until(() -> hub.mqtt().details().get("held").equals(0));
        assertEquals(0, hub.mqtt().failed());
    }

    @Test
    void hubRestartedWhileTheBrokerWasAway() throws Exception {
        hub.post(violations(20, 0));
        subscriber.await(20, WAIT);
        await("the broker acknowledged everything").atMost(WAIT)
                .until(() -> hub.mqtt().details().get("held").equals(0));
        assertEquals(20L, hub.mqtt().details().get("published"));

        broker.stop();
        hub.post(violations(30, 20));
        PluginStatus away = hub.awaitState(Health.State.DEGRADED, WAIT);
        assertTrue(away.lag() > 0, "lag while away: " + away);

        hub.restart();
        assertEquals(Health.State.DEGRADED, hub.mqtt().state(), "still away after the restart: " + hub.mqtt());
        hub.post(violations(10, 50));

        broker.start();
        hub.awaitState(Health.State.UP, WAIT);
        awaitAll(60);
        assertEveryEventInOrder(subscriber.received(), 60);
        await().atMost(WAIT).until(() -> hub.mqtt().lag() == 0 && hub.mqtt().details().get("held").equals(0));
        assertEquals(40L, hub.mqtt().details().get("published"), "the restarted hub published 21..60, once each");
        assertEquals(0L, hub.mqtt().details().get("republished"));
        for (Map.Entry<Long, Integer> e : deliveries(subscriber.received()).entrySet()) {
            if (e.getKey() > 20) {
                assertEquals(1, e.getValue(), "seq " + e.getKey() + " arrived once");
            }
        }
    }

    private void awaitAll(long last) {
        await("every event on the subscriber").atMost(WAIT).untilAsserted(() -> {
            Set<Long> missing = new java.util.TreeSet<>();
            for (long s = 1; s <= last; s++) {
                missing.add(s);
            }
            missing.removeAll(subscriber.seqs());
            assertTrue(missing.isEmpty(), missing.size() + " missing, from " + missing.stream().limit(20).toList()
                    + "; subscriber connected: " + subscriber.connected() + "; plugin: " + hub.mqtt());
        });
    }

    /** Seqs 1..last all arrived, and the first arrival of each came in seq order. */
    private static void assertEveryEventInOrder(List<TestSubscriber.Received> got, long last) {
        List<Long> firsts = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (TestSubscriber.Received r : got) {
            assertEquals(1, r.qos(), "QoS 1 end to end");
            if (seen.add(r.seq())) {
                firsts.add(r.seq());
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= last; s++) {
            expected.add(s);
        }
        assertEquals(expected, firsts, "every event, first arrivals in seq order");
    }

    /**
     * How often each seq reached the subscriber. A seq the broker had delivered before it stopped may come again
     * from the broker itself (the subscriber's session resumes with the messages it had not yet acknowledged).
     */
    private static Map<Long, Integer> deliveries(List<TestSubscriber.Received> got) {
        Map<Long, Integer> counts = new HashMap<>();
        for (TestSubscriber.Received r : got) {
            counts.merge(r.seq(), 1, Integer::sum);
        }
        return counts;
    }
}
