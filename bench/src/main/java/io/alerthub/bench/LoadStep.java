package io.alerthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Runs one step against a server and accounts for every delivery: publish at a rate for a while, then wait until
 * every subscriber has the last event of its topic (or the drain time passes: what is missing then is lost).
 * CPU figures cover the publishing window; memory is the highest resident set seen while publishing.
 *
 * <p>A step may cover several servers fed by one publisher (the instances of a cluster): each {@link Group} is one
 * server with its subscribers and its own latencies, measured together and reported one by one.
 */
final class LoadStep {

    private static final long SELF = ProcessHandle.current().pid();

    /**
     * One server of a step, its subscribers and the latencies they record.
     *
     * @param server      the server they are connected to
     * @param subscribers its subscribers
     * @param latency     their publish-to-receive latencies
     */
    record Group(Server server, List<? extends Subscriber> subscribers, LatencyRecorder latency) {
    }

    private LoadStep() {
    }

    static Measurement run(Server server, List<? extends Subscriber> subscribers, RatePublisher publisher,
                           Topics topics, LatencyRecorder latency, double rate, Duration duration, Duration drain) {
        return run(List.of(new Group(server, subscribers, latency)), publisher, topics, rate, duration, drain)
                .getFirst();
    }

    /** One step over several servers fed by {@code publisher}: one measurement per group, in order. */
    static List<Measurement> run(List<Group> groups, RatePublisher publisher, Topics topics, double rate,
                                 Duration duration, Duration drain) {
        List<Snapshot> before = new ArrayList<>();
        for (Group g : groups) {
            before.add(new Snapshot(g));
        }
        long[] acceptedBefore = topics.acceptedCounts();
        ProcStats.Sample selfBefore = ProcStats.sample(SELF);
        ProcStats.MachineCpu machineBefore = ProcStats.machine();

        RatePublisher.Result published = publisher.run(rate, duration);

        List<ProcStats.Sample> serversAfter = new ArrayList<>();
        for (Group g : groups) {
            serversAfter.add(g.server().sample());
        }
        ProcStats.Sample selfAfter = ProcStats.sample(SELF);
        ProcStats.MachineCpu machineAfter = ProcStats.machine();
        before.forEach(Snapshot::stopWatching);

        List<Measurement> out = new ArrayList<>();
        for (int k = 0; k < groups.size(); k++) {
            Group g = groups.get(k);
            Snapshot b = before.get(k);
            awaitDrained(g.subscribers(), b.openBefore, topics, drain);
            out.add(b.measure(topics, acceptedBefore, published, rate, serversAfter.get(k),
                              selfAfter.cpuPercentSince(selfBefore), machineAfter.busyPercentSince(machineBefore)));
        }
        return out;
    }

    /** A group as the step began: its subscribers' counts, its server's CPU, and a watch on its memory. */
    private static final class Snapshot {
        private final Group group;
        private final long[] receivedBefore;
        private final long[] outOfOrderBefore;
        private final boolean[] openBefore;
        private final ProcStats.Sample serverBefore;
        private final PeakRss rss;

        Snapshot(Group g) {
            this.group = g;
            List<? extends Subscriber> subscribers = g.subscribers();
            int n = subscribers.size();
            receivedBefore = new long[n];
            outOfOrderBefore = new long[n];
            openBefore = new boolean[n];
            for (int i = 0; i < n; i++) {
                Subscriber s = subscribers.get(i);
                receivedBefore[i] = s.received();
                outOfOrderBefore[i] = s.outOfOrder();
                openBefore[i] = !s.isClosed();
            }
            g.latency().reset();
            long pid = g.server().pid();
            rss = PeakRss.watch(pid);
            serverBefore = g.server().sample();
        }

        void stopWatching() {
            rss.close();
        }

        Measurement measure(Topics topics, long[] acceptedBefore, RatePublisher.Result published, double rate,
                            ProcStats.Sample serverAfter, double generatorCpu, double machineBusy) {
            List<? extends Subscriber> subscribers = group.subscribers();
            Histogram h = group.latency().interval();
            long expected = 0;
            long delivered = 0;
            long outOfOrder = 0;
            long closed = 0;
            long[] acceptedAfter = topics.acceptedCounts();
            for (int i = 0; i < subscribers.size(); i++) {
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
            return new Measurement(group.server().label(), (int) open, topics.count(), rate, published.published(),
                                   published.failed(), published.seconds(), expected, delivered,
                                   Math.max(0, expected - delivered), outOfOrder, closed,
                                   delivered / published.seconds(),
                                   ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                                   ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                                   ms(h.getMaxValue()), ms(published.sendLagMicros().getValueAtPercentile(99)),
                                   rss.mb(), serverAfter.cpuPercentSince(serverBefore),
                                   generatorCpu, machineBusy, published.firstError());
        }
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
