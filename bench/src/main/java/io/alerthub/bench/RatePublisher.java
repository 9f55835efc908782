package io.alerthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/**
 * Publishes at a fixed rate, spread evenly over a scenario's topics: event {@code k} is due at
 * {@code start + k / rate} on topic {@code k mod topics}. Each topic belongs to one connection, so per topic the
 * server receives events in {@code pseq} order.
 *
 * <p>Each event is stamped when its request is written. How late that was against its due time is the
 * <em>send lag</em>: a large one means the publisher could not keep the schedule (the generator starved of CPU, or
 * the server leaving a full window of requests unanswered), and is reported beside the latencies.
 */
final class RatePublisher implements AutoCloseable {

    /**
     * What a run published.
     *
     * @param published     events the server accepted
     * @param failed        events the server refused, or whose send failed
     * @param seconds       how long publishing took: until the last due time, or until the last send when the
     *                      server held the publisher back (so a server that takes events slower than the rate
     *                      shows a lower rate, not the rate asked for)
     * @param sendLagMicros how late each send was against its schedule
     * @param firstError    the first failure, if any
     */
    record Result(long published, long failed, double seconds, Histogram sendLagMicros, String firstError) {
    }

    private final Topics topics;
    private final List<EventSink> sinks = new ArrayList<>();

    RatePublisher(Supplier<EventSink> sink, Topics topics, int maxConnections) {
        this.topics = topics;
        int connections = Math.max(1, Math.min(maxConnections, topics.count()));
        try {
            for (int i = 0; i < connections; i++) {
                sinks.add(sink.get());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Result run(double rate, Duration duration) {
        long period = Math.max(1, Math.round(1e9 / rate));
        long start = System.nanoTime() + 5_000_000;
        long end = start + duration.toNanos();
        int k = sinks.size();
        int t = topics.count();
        AtomicLong published = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] lastSend = new long[k];   // each publisher thread's own, read after the joins
        Histogram[] lags = new Histogram[k];
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            int conn = j;
            lags[j] = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
            List<Integer> mine = new ArrayList<>();
            for (int topic = conn; topic < t; topic += k) {
                mine.add(topic);
            }
            threads.add(Thread.ofPlatform().name("publisher-" + j).start(() -> {
                EventSink sink = sinks.get(conn);
                for (long cycle = 0; ; cycle++) {
                    for (int topic : mine) {
                        long due = start + (cycle * t + topic) * period;
                        if (due - end >= 0) {
                            sink.awaitAnswers(Duration.ofSeconds(30));
                            return;
                        }
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        long now = System.nanoTime();
                        lags[conn].recordValue(Math.clamp((now - due) / 1000, 0, LatencyRecorder.HIGHEST_MICROS));
                        lastSend[conn] = now;
                        long pseq = topics.next(topic);
                        sink.send(Topics.characteristic(topic), pseq, new EventSink.Outcome() {
                            @Override
                            public void accepted() {
                                topics.accepted(topic, pseq);
                                published.incrementAndGet();
                            }

                            @Override
                            public void failed(String why) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, why);
                            }
                        });
                    }
                }
            }));
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while publishing");
            }
        }
        double seconds = (Math.max(end, Arrays.stream(lastSend).max().orElse(end)) - start) / 1e9;
        Histogram lag = new Histogram(LatencyRecorder.HIGHEST_MICROS, 3);
        for (Histogram h : lags) {
            lag.add(h);
        }
        return new Result(published.get(), failed.get(), seconds, lag, firstError.get());
    }

    @Override
    public void close() {
        sinks.forEach(EventSink::close);
    }
}
