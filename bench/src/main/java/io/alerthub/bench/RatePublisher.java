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
 *
 * <p>With batches, each connection sends its events {@code batch} at a time, when the last of them is due, and
 * every event of a request is stamped with that due time: the moment the producer had the request ready. A
 * sequential producer ({@link PipelinedHttpSink} with a window of 1) writes it only after the previous request's
 * answer, so a server that answers late shows in the latency, as it does in a real producer's.
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
    private final int batch;
    private final List<EventSink> sinks = new ArrayList<>();

    RatePublisher(Supplier<EventSink> sink, Topics topics, int maxConnections) {
        this(sink, topics, maxConnections, 1);
    }

    /** @param batch events per request (more than 1 needs a sink with batches) */
    RatePublisher(Supplier<EventSink> sink, Topics topics, int maxConnections, int batch) {
        this.topics = topics;
        this.batch = batch;
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
        long epochAtStart = SamplePayload.epochNanos() + (start - System.nanoTime());
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
                int[] requestTopics = new int[batch];
                int inRequest = 0;
                for (long cycle = 0; ; cycle++) {
                    for (int topic : mine) {
                        long due = start + (cycle * t + topic) * period;
                        if (due - end >= 0) {
                            sink.awaitAnswers(Duration.ofSeconds(30));
                            return;
                        }
                        requestTopics[inRequest++] = topic;
                        if (inRequest < batch) {
                            continue;
                        }
                        inRequest = 0;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        Request request = new Request(requestTopics.clone(), published, failed, firstError);
                        if (batch == 1) {
                            sink.send(Topics.characteristic(topic), request.pseqs[0], request);
                        } else {
                            sink.send(request.characteristics(), request.pseqs, epochAtStart + (due - start),
                                      request);
                        }
                        // Written now: after the previous answer, for a sequential producer.
                        long now = System.nanoTime();
                        lags[conn].recordValue(Math.clamp((now - due) / 1000, 0, LatencyRecorder.HIGHEST_MICROS));
                        lastSend[conn] = now;
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

    /** One request's events, numbered when it is sent; their outcome counts them in. */
    private final class Request implements EventSink.Outcome {
        private final int[] topicIndexes;
        private final long[] pseqs;
        private final AtomicLong published;
        private final AtomicLong failed;
        private final AtomicReference<String> firstError;

        Request(int[] topicIndexes, AtomicLong published, AtomicLong failed, AtomicReference<String> firstError) {
            this.topicIndexes = topicIndexes;
            this.pseqs = new long[topicIndexes.length];
            for (int i = 0; i < topicIndexes.length; i++) {
                pseqs[i] = topics.next(topicIndexes[i]);
            }
            this.published = published;
            this.failed = failed;
            this.firstError = firstError;
        }

        int[] characteristics() {
            int[] c = new int[topicIndexes.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = Topics.characteristic(topicIndexes[i]);
            }
            return c;
        }

        @Override
        public void accepted() {
            for (int i = 0; i < topicIndexes.length; i++) {
                topics.accepted(topicIndexes[i], pseqs[i]);
            }
            published.addAndGet(topicIndexes.length);
        }

        @Override
        public void failed(String why) {
            failed.addAndGet(topicIndexes.length);
            firstError.compareAndSet(null, why);
        }
    }

    @Override
    public void close() {
        sinks.forEach(EventSink::close);
    }
}
