package io.alerthub.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * Runs one step against a server and accounts for every delivery: publish at a rate for a while, then wait until
 * every subscriber has the last event of its topic (or the drain time passes: what is missing then is lost).
 * CPU figures cover the publishing window; memory is the highest resident set seen while publishing.
 */
final class LoadStep {

    private static final long SELF = ProcessHandle.current().pid();

    private LoadStep() {
    }

    static Measurement run(Server server, List<? extends Subscriber> subscribers, RatePublisher publisher,
                           Topics topics, LatencyRecorder latency, double rate, Duration duration, Duration drain) {
        int n = subscribers.size();
        long[] receivedBefore = new long[n];
        long[] outOfOrderBefore = new long[n];
        boolean[] openBefore = new boolean[n];
        for (int i = 0; i < n; i++) {
            Subscriber s = subscribers.get(i);
            receivedBefore[i] = s.received();
            outOfOrderBefore[i] = s.outOfOrder();
            openBefore[i] = !s.isClosed();
        }
        long[] acceptedBefore = topics.acceptedCounts();
        latency.reset();

        AtomicLong maxRss = new AtomicLong(ProcStats.rssBytes(server.pid()));
        Thread rssWatch = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(ProcStats.rssBytes(server.pid()), Math::max);
                try {
                    TimeUnit.MILLISECONDS.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ProcStats.Sample serverBefore = server.sample();
        ProcStats.Sample selfBefore = ProcStats.sample(SELF);
        ProcStats.MachineCpu machineBefore = ProcStats.machine();

        RatePublisher.Result published = publisher.run(rate, duration);

        ProcStats.Sample serverAfter = server.sample();
        ProcStats.Sample selfAfter = ProcStats.sample(SELF);
        ProcStats.MachineCpu machineAfter = ProcStats.machine();
        rssWatch.interrupt();

        awaitDrained(subscribers, openBefore, topics, drain);
        Histogram h = latency.interval();

        long expected = 0;
        long delivered = 0;
        long outOfOrder = 0;
        long closed = 0;
        long[] acceptedAfter = topics.acceptedCounts();
        for (int i = 0; i < n; i++) {
            if (!openBefore[i]) {
                continue;
            }
            Subscriber s = subscribers.get(i);
            expected += acceptedAfter[s.topic()] - acceptedBefore[s.topic()];
            delivered += s.received() - receivedBefore[i];
            outOfOrder += s.outOfOrder() - outOfOrderBefore[i];
            if (s.isClosed()) {
                closed++;
            }
        }
        long open = 0;
        for (boolean b : openBefore) {
            open += b ? 1 : 0;
        }
        return new Measurement(server.label(), (int) open, topics.count(), rate, published.published(),
                               published.failed(), published.seconds(), expected, delivered,
                               Math.max(0, expected - delivered), outOfOrder, closed,
                               delivered / published.seconds(),
                               ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                               ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                               ms(published.sendLagMicros().getValueAtPercentile(99)),
                               maxRss.get() / 1048576.0, serverAfter.cpuPercentSince(serverBefore),
                               selfAfter.cpuPercentSince(selfBefore), machineAfter.busyPercentSince(machineBefore),
                               published.firstError());
    }

    /** Waits until every subscriber that was open has the last accepted event of its topic. */
    static void awaitDrained(List<? extends Subscriber> subscribers, boolean[] openBefore, Topics topics,
                             Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        int from = 0;
        while (System.nanoTime() - deadline < 0) {
            while (from < subscribers.size()) {
                Subscriber s = subscribers.get(from);
                if (openBefore[from] && !s.isClosed() && s.lastPseq() < topics.lastAccepted(s.topic())) {
                    break;
                }
                from++;
            }
            if (from == subscribers.size()) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
