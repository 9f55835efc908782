package io.alerthub.websocket;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.alerthub.core.event.EventDraft;
import io.alerthub.spi.Event;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * "Who gets this event" with 10,000 subscriptions in the WebSocket plugin's {@link SubscriptionIndex} (what the
 * lane does for every event, under the router's lock). In this package because the index is package-private.
 * <ul>
 *   <li>{@code one-each}: 10,000 subscribers, each on its own characteristic; an event reaches one;</li>
 *   <li>{@code 100-topics}: 10,000 subscribers over 100 characteristics; an event reaches 100;</li>
 *   <li>{@code patterns}: 10,000 subscriptions of all kinds (exact topics, {@code line:*}-style topic prefixes,
 *       event types and type prefixes); an event with two topics reaches some of each.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubscriptionMatchingBenchmark {

    @Param({"one-each", "100-topics", "patterns"})
    public String shape;

    private SubscriptionIndex<Integer> index;
    private Event[] events;
    private int next;

    @Setup
    public void setUp() {
        index = new SubscriptionIndex<>(Set.of("ack_update"));
        for (int i = 0; i < 10_000; i++) {
            SubscriptionIndex.Entry<Integer> e = new SubscriptionIndex.Entry<>(i);
            index.add(e);
            index.update(e, keys(i));
        }
        events = new Event[64];
        for (int i = 0; i < events.length; i++) {
            int characteristic = shape.equals("one-each") ? (i * 157) % 10_000 : i % 100;
            EventDraft.Builder b = EventDraft.builder(shape.equals("patterns") ? "alert.created" : "sample")
                    .characteristicId(characteristic).receivedAt(Instant.EPOCH).payloadJson("{\"v\":1}");
            if (shape.equals("patterns")) {
                b.topic("line:" + (i % 50));
            }
            events[i] = b.draft().withSeq(i + 1);
        }
    }

    private Set<Subscription.Key> keys(int i) {
        Set<Subscription.Key> keys = new HashSet<>();
        switch (shape) {
            case "one-each" -> keys.add(topic("characteristic:" + i));
            case "100-topics" -> keys.add(topic("characteristic:" + (i % 100)));
            default -> {
                switch (i % 4) {
                    case 0 -> keys.add(topic("characteristic:" + (i % 1000)));
                    case 1 -> keys.add(new Subscription.Key(Subscription.KeyKind.TOPIC_PREFIX, "line:"));
                    case 2 -> keys.add(new Subscription.Key(Subscription.KeyKind.TYPE, "alert.created"));
                    default -> keys.add(new Subscription.Key(Subscription.KeyKind.TYPE_PREFIX, "alert."));
                }
            }
        }
        return keys;
    }

    private static Subscription.Key topic(String t) {
        return new Subscription.Key(Subscription.KeyKind.TOPIC, t);
    }

    /** One event matched against all 10,000 subscriptions; the time is per event, whatever it reaches. */
    @Benchmark
    public int match(Blackhole bh) {
        Event e = events[next++ & (events.length - 1)];
        Consumer<Integer> sink = bh::consume;
        return index.match(e, sink);
    }
}
